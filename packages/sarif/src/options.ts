import { InputError, type Inputs } from '@pipeline-toolkit/core';
import { parseThreshold } from './gate.ts';
import type { ReportKind } from './load.ts';
import type { Threshold } from './model.ts';
import { namesOf, runnableScanners, SCANNERS } from './scanners/index.ts';
import { REMOTE_SEMGREP_CONFIG } from './scanners/semgrep.ts';

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
  /** A container image Trivy scans too (input `image`): a reference, or a `docker save` / OCI archive. */
  image?: string;
  /** Diff-aware scan (input `diff-base`): a commit or branch; the scanners look at the changes since its merge base with HEAD. */
  diffBase?: string;
  /** Trivy's cache directory with a database made ready beforehand (set by the scanner installer, not an input). */
  trivyCacheDir?: string;
}

/** The report inputs: one per registered scanner (`<id>-report`), then any SARIF, then any report detected from its content. */
export const REPORT_INPUTS: readonly { input: string; kind: ReportKind }[] = [
  ...SCANNERS.map((s) => ({ input: s.input, kind: s.tool.id })),
  { input: 'sarif-files', kind: 'sarif' },
  { input: 'reports', kind: 'any' },
];

/** An input that the registry defines: the action's input (action.yml, generated) and the CLI's flag of the same name. */
export interface RegistryInput {
  name: string;
  description: string;
  default: string;
  /** The CLI's short flag for it (`--grype` for `--grype-report`). */
  alias?: string;
  /** Paths or globs: a flag that may be repeated. */
  multiple: boolean;
}

/**
 * The inputs that follow from the scanner registry: a report input per scanner, `sarif-files`,
 * `reports` and `run-scanners`. `npm run docs` writes them into actions/security-scan/action.yml,
 * and `pipeline-toolkit scan` takes them as flags.
 */
export function registryInputs(): RegistryInput[] {
  const runnable = runnableScanners();
  return [
    ...SCANNERS.map((s) => ({
      name: s.input,
      description: `${s.tool.name} report(s), ${s.formats}; paths or globs, one per line or comma-separated.`,
      default: '',
      alias: s.tool.id,
      multiple: true,
    })),
    {
      name: 'sarif-files',
      description: "Other tools' SARIF 2.1.0 files (CodeQL, Dockle, Bandit …); paths or globs.",
      default: '',
      multiple: true,
    },
    {
      name: 'reports',
      description: `Reports of any supported tool, detected from their content: SARIF 2.1.0 or ${namesOf(SCANNERS)} JSON (every version read); paths or globs.`,
      default: '',
      alias: 'report',
      multiple: true,
    },
    {
      name: 'run-scanners',
      description: `\`none\`, or \`available\`: run ${namesOf(runnable)} when they are on PATH, for the reports not given, with pinned arguments (${runnable.map((s) => s.run!.summary).join('; ')}).`,
      default: 'none',
      multiple: false,
    },
  ];
}

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
  const remote = semgrepConfig.find((c) => REMOTE_SEMGREP_CONFIG.test(c));
  if (remote) {
    throw new InputError(
      'semgrep-config',
      `${label('semgrep-config')} must name local rule files or directories (the registry is not used), got '${remote}'.`,
    );
  }
  const scanTimeoutMs = inputs.duration('scan-timeout', { default: '30m', min: '1s', max: '6h' });
  const image = inputs.string('image');
  if (image && !/^[\w./:@+-]+$/.test(image)) {
    throw new InputError(
      'image',
      `${label('image')} must be an image reference (registry/name:tag or @sha256:…) or the path of an image archive (.tar), got '${image.slice(0, 200)}'.`,
    );
  }
  const diffBase = inputs.string('diff-base');
  if (diffBase && (!/^[\w./@^~+-]+$/.test(diffBase) || diffBase.startsWith('-') || diffBase.includes('..'))) {
    throw new InputError(
      'diff-base',
      `${label('diff-base')} must be one commit or branch name (for example the pull request's base commit), got '${diffBase.slice(0, 200)}'.`,
    );
  }
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
    ...(image ? { image } : {}),
    ...(diffBase ? { diffBase } : {}),
  };
}
