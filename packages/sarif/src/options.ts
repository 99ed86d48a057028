import { InputError, type Inputs } from '@pipeline-toolkit/core';
import { parseThreshold } from './gate.ts';
import type { ReportKind } from './load.ts';
import type { Threshold } from './model.ts';

/** A report input: the tool it must come from and the paths or globs given. */
export interface ReportInput {
  input: string;
  kind: ReportKind;
  patterns: string[];
}

export interface ScanOptions {
  reports: ReportInput[];
  runScanners: 'none' | 'available';
  /** Local Semgrep rule files or directories for `run-scanners: available`. */
  semgrepConfig: string[];
  failOn: Threshold;
  outputSarif: string;
  /** The normalised findings (JSON), beside the SARIF file. */
  findingsFile: string;
  upload: boolean;
  categoryPrefix: string;
  /** Deadline of each scanner run by `run-scanners` (input `scan-timeout`, default 30m). */
  scanTimeoutMs?: number;
}

export const REPORT_INPUTS: readonly { input: string; kind: ReportKind }[] = [
  { input: 'gitleaks-report', kind: 'gitleaks' },
  { input: 'semgrep-report', kind: 'semgrep' },
  { input: 'trivy-report', kind: 'trivy' },
  { input: 'sarif-files', kind: 'sarif' },
  { input: 'reports', kind: 'any' },
];

/** `security-scan.sarif` → `security-scan.findings.json`. */
export function findingsFileFor(sarifFile: string): string {
  return `${sarifFile.replace(/\.sarif(?:\.json)?$/i, '')}.findings.json`;
}

/**
 * Reads and validates the scan inputs (the same names as action inputs and CLI flags). Nothing is
 * read from disk here; `label` names an input in messages (`Input 'x'` or `--x`).
 */
export function readScanInputs(inputs: Inputs, label: (name: string) => string = (n) => `Input '${n}'`): ScanOptions {
  const reports = REPORT_INPUTS.map(({ input, kind }) => ({ input, kind, patterns: inputs.list(input) })).filter((r) => r.patterns.length);
  const runScanners = inputs.enum('run-scanners', ['none', 'available'], { default: 'none' });
  const failOn = parseThreshold(inputs.string('fail-on', { default: 'high' }), 'fail-on', label('fail-on'));
  const outputSarif = inputs.string('output-sarif', { default: 'security-scan.sarif' });
  const upload = inputs.boolean('upload', false);
  const categoryPrefix = inputs.string('category-prefix', { default: 'security-scan' });
  if (!/^[A-Za-z0-9._/-]+$/.test(categoryPrefix)) {
    throw new InputError(
      'category-prefix',
      `${label('category-prefix')} may hold only letters, digits, '.', '_', '-' and '/', got '${categoryPrefix}'.`,
    );
  }
  if (!reports.length && runScanners === 'none') {
    throw new InputError(
      'gitleaks-report',
      `Nothing to scan: give at least one of ${REPORT_INPUTS.map((r) => label(r.input)).join(', ')}, or set ${label('run-scanners')} to 'available'.`,
    );
  }
  const semgrepConfig = inputs.list('semgrep-config');
  const remote = semgrepConfig.find((c) => /^(?:p\/|r\/|s\/|auto$|https?:)/.test(c));
  if (remote) {
    throw new InputError(
      'semgrep-config',
      `${label('semgrep-config')} must name local rule files or directories (the registry is not used), got '${remote}'.`,
    );
  }
  const scanTimeoutMs = inputs.duration('scan-timeout', { default: '30m', max: '6h' });
  return {
    reports,
    runScanners,
    semgrepConfig,
    failOn,
    outputSarif,
    findingsFile: findingsFileFor(outputSarif),
    upload,
    categoryPrefix,
    ...(scanTimeoutMs ? { scanTimeoutMs } : {}),
  };
}
