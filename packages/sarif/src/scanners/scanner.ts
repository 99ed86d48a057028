import type { Exec, ExecResult, Logger } from '@pipeline-toolkit/core';
import type { JsonObject } from '../json.ts';
import type { ParseContext } from '../sink.ts';

/** What running a scanner needs besides its arguments. */
export interface ScannerDeps {
  exec: Exec;
  log: Logger;
  env: NodeJS.ProcessEnv;
  which?: (name: string, env: NodeJS.ProcessEnv) => string | undefined;
  /** The runner's cores the scanners share (runAvailableScanners); default os.availableParallelism(). */
  cores?: number;
}

/** Where a scanner run by `run-scanners` scans and writes. */
export interface RunOptions {
  /** The scanned tree (the repository root). */
  workspace: string;
  /** Where its JSON report goes. */
  report: string;
  /** Local Semgrep rule files or directories (input semgrep-config). */
  semgrepConfig: readonly string[];
  /** Globs of repository paths to leave out (input skip-paths). */
  skipPaths?: readonly string[];
  /** A folder of this run for files the scanner needs (a generated configuration). */
  workDir?: string;
  /**
   * A diff-aware scan (pull requests): the commit the change starts from (the merge base with the
   * base branch). Gitleaks then scans only the commits after it, Semgrep reports only findings the
   * change introduced (`--baseline-commit`). Absent: full scans.
   */
  diffBase?: string;
  /** The container image to scan as well (a reference, or a `docker save` / OCI archive file). */
  image?: string;
  /** Trivy's cache directory holding a vulnerability database made ready beforehand (install-scanners); Trivy then does not update it. */
  trivyCacheDir?: string;
  /**
   * The scanner runs in this folder and scans `.` instead of the workspace (a private copy of the
   * workspace made by its `isolate`).
   */
  isolatedIn?: string;
  /** Environment the scanner needs to work in that copy (its `isolate` says). */
  isolatedEnv?: Record<string, string>;
}

/** A private copy of the scanned tree a scanner runs in, removed after the run. */
export interface Isolated {
  /** The folder that stands for the workspace in the copy. */
  dir: string;
  /** Environment for the scanner's run in the copy. */
  env?: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A further run of a scanner with its own report (Trivy's image scan beside its file-system scan). */
export interface ExtraRun {
  /** Names the report (`trivy-image` → trivy-image.json) and the run in the log. */
  name: string;
  args(report: string): string[];
}

/** How `run-scanners: available` runs a scanner: a pinned command line that writes a JSON report. */
export interface ScannerRun {
  /** The command looked for on PATH. */
  command: string;
  /** For the docs: what the pinned arguments do (`gitleaks with --redact`). */
  summary: string;
  args(options: RunOptions): string[];
  /** Extra environment; values already set in the environment win. */
  env: Record<string, string>;
  okExitCodes: number[];
  /** Why the scanner is not run with these options (told as a notice), when it is not. */
  skip?(options: RunOptions): string | undefined;
  /** Writes what the arguments refer to (a generated configuration, the tree of a diff-aware scan), before running. */
  prepare?(options: RunOptions, deps: Pick<ScannerDeps, 'exec' | 'log'>): Promise<void>;
  /** The folder its own run happens in, when not the action's (Trivy's diff-aware scan runs in the tree it scans). */
  cwd?(options: RunOptions): string | undefined;
  /**
   * Makes a private copy of the workspace to run in, when the scanner would otherwise change the
   * workspace while the other scanners read it (Semgrep's diff-aware scan checks the baseline out).
   */
  isolate?(options: RunOptions, deps: ScannerDeps): Promise<Isolated | undefined>;
  /** Checked before running, with the command found (e.g. refuses a known-bad release). */
  check?(command: string, deps: ScannerDeps): Promise<void>;
  /**
   * Its own account of a failed run (an exit code not in okExitCodes), from the report it wrote
   * (`report`, which may be missing or partial) or its output; undefined leaves the tail of its
   * output. The text is redacted before it is shown.
   */
  explainFailure?(report: string, result: ExecResult): Promise<string | undefined>;
  /** Further runs with these options (their reports are read as this scanner's). */
  more?(options: Omit<RunOptions, 'report'>): ExtraRun[];
  /**
   * How the run is held to `cores` cores when it runs beside others (see shareCores in run.ts):
   * Semgrep's `--jobs`. Absent: the scanner is not limited (the Go scanners, on purpose).
   */
  cores?(cores: number): { args?: string[]; env?: Record<string, string> };
}

/** The large array of a JSON report that is read element by element (never held whole). */
export interface StreamedArray {
  /** Its key: `Results` (Trivy), `results` (Semgrep). */
  key: string;
  /** One element; `envelope` is the part of the document read before the array. */
  element(element: unknown, index: number, envelope: JsonObject, ctx: ParseContext): void;
  /** The document around the array, once all of it is read. */
  envelope(rest: JsonObject, ctx: ParseContext): void;
  /**
   * A large array in each element (Trivy's Vulnerabilities in a Result), read item by item when
   * `start` gives a reader for it: `element` holds the element's string values read before the
   * array, `keys` every key met so far. Undefined leaves the array in the element, read whole.
   * The element then comes to `element()` without the items already read.
   */
  nested?: {
    key: string;
    start(
      element: Readonly<Record<string, string>>,
      keys: ReadonlySet<string>,
      envelope: JsonObject,
      ctx: ParseContext,
    ): ((item: unknown, index: number) => void) | undefined;
  };
}

/**
 * A scanner: everything the package knows about one tool, in its one module. The action's inputs,
 * the CLI's flags, the docs' tables and format detection are all derived from the registry
 * (scanners/index.ts) of these. See docs/security-scan.md and ADR-025.
 */
export interface Scanner {
  /** The tool as findings, SARIF runs and counts name it; `id` is also the CLI's short flag (`--grype`). */
  tool: { readonly id: string; readonly name: string; readonly informationUri: string };
  /** The action input and CLI flag of its reports: `<id>-report`. */
  input: string;
  /** What its input takes, for the input's description: `JSON (v7 and v8) or SARIF`. */
  formats: string;
  /** For the docs: where a finding's severity comes from. */
  severity: string;
  /** Whether a SARIF run is this tool's, by its driver name; such SARIF is accepted on its input. */
  sarifDriver?: RegExp;
  /** Recognises a JSON report that is an object. */
  detect?(doc: JsonObject): boolean;
  /** Recognises a JSON report that is a bare array, by its first element. */
  detectElement?(first: unknown): boolean;
  /** Reads a whole JSON report (object or bare array) that `detect` or `detectElement` recognised. */
  parse(doc: unknown, ctx: ParseContext): void;
  /** Reads one element of a bare array report that `detectElement` recognised (streamed reading). */
  readElement?(element: unknown, index: number, ctx: ParseContext): void;
  /** The large array of its object report, read element by element. */
  stream?: StreamedArray;
  /** How `run-scanners: available` runs it; a scanner without one is only read. */
  run?: ScannerRun;
}
