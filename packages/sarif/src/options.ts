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
  /** After an upload, wait until code scanning has processed the file and fail when it could not (input `wait-for-processing`). */
  waitForProcessing: boolean;
  categoryPrefix: string;
  /** Deadline of each scanner run by `run-scanners` (input `scan-timeout`, default 30m). */
  scanTimeoutMs?: number;
  /** Globs of repository paths left out: passed to the scanners run, applied to every report read. */
  skipPaths: string[];
  /** Vulnerabilities without a fixed version are kept, marked suppressed, and never gate. */
  ignoreUnfixed: boolean;
  /** The suppressions file (YAML), when given. */
  suppressions?: string;
  /** A previous findings file or SARIF log to compare with. */
  baseline?: string;
  /** Which findings gate; undefined: `new` on pull requests, `all` elsewhere. */
  gateScope?: 'new' | 'all';
  /** Comment the new findings on the pull request; undefined: on pull requests with a token. */
  prComment?: boolean;
  /** The artifact that holds the findings file of a run (looked up on the base branch for pull requests). */
  baselineArtifact: string;
  /** A container image Trivy scans too (input `image`): a reference, or a `docker save` / OCI archive. */
  image?: string;
  /** Diff-aware scan (input `diff-base`): a commit or branch; the scanners look at the changes since its merge base with HEAD. */
  diffBase?: string;
  /** Trivy's cache directory with a database made ready beforehand (set by the scanner installer, not an input). */
  trivyCacheDir?: string;
}

/** Globs one per line or comma-separated; a comma inside braces (`{a,b}/**`) belongs to its glob. */
function splitGlobs(lines: readonly string[]): string[] {
  const globs: string[] = [];
  for (const line of lines) {
    let depth = 0;
    let current = '';
    for (const c of line) {
      if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
      if (c === ',' && depth === 0) {
        globs.push(current);
        current = '';
      } else current += c;
    }
    globs.push(current);
  }
  return globs.map((g) => g.trim()).filter(Boolean);
}

/** The artifact name the reusable workflow uploads the findings file as, and the baseline lookup reads. */
export const FINDINGS_ARTIFACT = 'security-findings';

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
  /** A boolean flag (`--ignore-unfixed`); strings otherwise. */
  type?: 'boolean';
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
      name: 'skip-paths',
      description:
        'Globs of repository paths to leave out (`vendor/**`, `**/testdata/**`), one per line or comma-separated: passed to the scanners run by run-scanners (Trivy --skip-dirs/--skip-files, Semgrep --exclude, a Gitleaks allowlist) and applied to the findings of every report read (a glob covers what is below the paths it matches, and `*` and `**` match names that start with a dot, as the globs of the scanners do; brace sets such as `{a,b}` may stand for 256 patterns a glob, 4,096 together).',
      default: '',
      multiple: true,
    },
    {
      name: 'ignore-unfixed',
      description:
        'Vulnerabilities without a fixed version are reported but never gate: they stay in the SARIF and findings files, suppressed with the justification "ignore-unfixed".',
      default: 'false',
      multiple: false,
      type: 'boolean',
    },
    {
      name: 'suppressions',
      description:
        "A YAML file with a `suppressions:` list; each entry has exactly one of `rule`, `fingerprint` (a finding's `match`) or `path` (a glob), plus `reason` and `expires` (YYYY-MM-DD). An expired, reason-less or malformed entry fails the run naming it; suppressed findings stay in the SARIF as suppressed, with the reason.",
      default: '',
      multiple: false,
    },
    {
      name: 'baseline',
      description:
        "A previous findings file of this action (or a SARIF log) to compare with: the outputs new, fixed and unchanged count against it, and with gate-scope new only findings absent from it gate. On pull requests, when empty and github-token is given, the base branch's findings are looked up in the last successful run of the same workflow (artifact baseline-artifact).",
      default: '',
      multiple: false,
    },
    {
      name: 'gate-scope',
      description:
        '`new`: only findings absent from the baseline can fail the gate; `all`: every finding. Default: `new` on pull_request events, `all` elsewhere; without a baseline the gate falls back to `all` and says so.',
      default: '',
      multiple: false,
    },
    {
      name: 'baseline-artifact',
      description: `The artifact that holds a run's findings file, looked up on the base branch for pull requests (upload the findings-file output under this name).`,
      default: FINDINGS_ARTIFACT,
      multiple: false,
    },
    {
      name: 'pr-comment',
      description:
        'On pull requests, one comment (updated in place) listing the new findings, redacted. Default: true on pull requests when github-token is given.',
      default: '',
      multiple: false,
      type: 'boolean',
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
  const waitForProcessing = inputs.boolean('wait-for-processing', true);
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
  const skipPaths = splitGlobs(inputs.list('skip-paths', { separator: /\n/ })).map((g) => g.replace(/^\.\//, ''));
  const absolute = skipPaths.find(
    (g) => g.startsWith('/') || /^[A-Za-z]:[\\/]/.test(g) || g.split('/').includes('..') || g.includes("'''") || g.length > 500,
  );
  if (absolute) {
    throw new InputError(
      'skip-paths',
      `${label('skip-paths')} takes globs of repository paths relative to its root (such as vendor/** or **/testdata/**), got '${absolute}'.`,
    );
  }
  const suppressions = inputs.string('suppressions');
  const baseline = inputs.string('baseline');
  const gateScope = inputs.enum('gate-scope', ['new', 'all']);
  const prComment = inputs.raw('pr-comment') === undefined ? undefined : inputs.boolean('pr-comment', false);
  const baselineArtifact = inputs.string('baseline-artifact', { default: FINDINGS_ARTIFACT });
  if (!/^[\w.-]{1,100}$/.test(baselineArtifact)) {
    throw new InputError(
      'baseline-artifact',
      `${label('baseline-artifact')} must be an artifact name of letters, digits, '.', '_' and '-' (at most 100), got '${baselineArtifact}'.`,
    );
  }
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
    waitForProcessing,
    categoryPrefix,
    ...(scanTimeoutMs ? { scanTimeoutMs } : {}),
    skipPaths,
    ignoreUnfixed: inputs.boolean('ignore-unfixed', false),
    ...(suppressions ? { suppressions } : {}),
    ...(baseline ? { baseline } : {}),
    ...(gateScope ? { gateScope } : {}),
    ...(prComment !== undefined ? { prComment } : {}),
    baselineArtifact,
    ...(image ? { image } : {}),
    ...(diffBase ? { diffBase } : {}),
  };
}
