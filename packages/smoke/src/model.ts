/**
 * The smoke-test model: a suite of checks (as loaded from smoke.yml or built in), the options of a
 * run, and the result every reporter reads.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A comparison on the values a JSONPath selects (`$.items: { count: 3 }`). */
export interface JsonAssert {
  path: string;
  equals?: unknown;
  /** Each value must be one of these. */
  in?: unknown[];
  exists?: boolean;
  /** How many values the path selects (with a wildcard), or the length of the one array it selects. */
  count?: number | Comparison;
  /** Regular expression (RE2) each value must match (as text). */
  matches?: string;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface Comparison {
  equals?: number;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface TlsExpect {
  /** The certificate must stay valid at least this many days. */
  minDaysValid?: number;
  /** The host the certificate must be valid for (default: the URL's host). */
  hostname?: string;
}

export interface HttpExpect {
  /** Accepted status codes (default: 200–299). */
  status?: number[];
  /** JSONPath-like selector (`$.a.b[0]`) → expected value. */
  json?: Record<string, unknown>;
  /** JSONPath comparisons: `>`, `<`, `in`, `exists`, `count`, `matches`. */
  jsonpath?: JsonAssert[];
  bodyContains?: string[];
  /** Regular expressions (RE2, linear time) the body must match. */
  bodyMatches?: string[];
  /** Header name → text the value must contain (case-insensitive). */
  header?: Record<string, string>;
  /** Header name → regular expression (RE2) the value must match. */
  headerMatches?: Record<string, string>;
  maxLatencyMs?: number;
  tls?: TlsExpect;
  /** Number of redirects followed. */
  redirects?: number;
  /** The URLs redirected to, in order (absolute, or a path on the request's origin). */
  redirectChain?: string[];
  /** The URL of the last response (absolute, or a path on the request's origin). */
  finalUrl?: string;
  /** Decoded body size bounds, in bytes. */
  maxSizeBytes?: number;
  minSizeBytes?: number;
}

/** Where a capture takes its value: a JSONPath of the body, a response header, or a regex group of the body. */
export type CaptureSource = { from: 'jsonpath'; path: string } | { from: 'header'; name: string } | { from: 'regex'; pattern: string };

export interface HttpSpec {
  method: HttpMethod;
  /** Relative to the target (`/health`) … */
  path?: string;
  /** … or an absolute URL (an external dependency). */
  url?: string;
  headers: Record<string, string>;
  body?: string;
  /** The body was written as YAML data and is sent as JSON (captures are inserted JSON-escaped). */
  bodyIsJson?: boolean;
  followRedirects: boolean;
  /** Most redirects followed before the check fails. */
  maxRedirects: number;
  expect: HttpExpect;
  /** Capture name → where its value comes from. */
  capture?: Record<string, CaptureSource>;
}

export interface TcpSpec {
  host: string;
  port: number;
}

export interface PostgresSpec {
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  ssl: boolean;
}

export interface EnvSpec {
  required: string[];
  oneOf: Record<string, string[]>;
}

/** Runs an existing test command (argv, no shell) and imports the JUnit XML it writes. */
export interface CommandSpec {
  run: string[];
  junit: string;
  cwd?: string;
}

export type CheckBody =
  | { kind: 'http'; http: HttpSpec }
  | { kind: 'tcp'; tcp: TcpSpec }
  | { kind: 'postgres'; postgres: PostgresSpec }
  | { kind: 'env'; env: EnvSpec }
  | { kind: 'command'; command: CommandSpec };

export type CheckKind = CheckBody['kind'];

export type Check = CheckBody & {
  name: string;
  tags: string[];
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** Where the check is defined (`smoke.yml:12`), for annotations. */
  where?: string;
  /** Why the check cannot run as configured (a variable it needs is unset); it is reported as skipped. */
  unavailable?: string;
  /** Poll until the check passes (eventual consistency), instead of retrying failures. */
  until?: { timeoutMs: number; intervalMs: number };
  /** Captures the check's request uses (`${captures.NAME}`), made by earlier checks. */
  uses?: string[];
};

/** A target as configured: its URL, or the variable it is missing. */
export interface TargetEntry {
  url?: string;
  missing?: string;
  where?: string;
}

export interface Suite {
  /** The file it came from, or `built-in default suite`. */
  source: string;
  targets: Record<string, TargetEntry>;
  concurrency: number;
  /** Name of the check polled by wait-until-healthy. */
  health?: string;
  checks: Check[];
  /** The environment the suite was interpolated from (process env over the .env file). */
  env: Record<string, string>;
  /** Values that must never be printed (header values, passwords, secret-looking variables). */
  secrets: string[];
  /** The p95 latency budget of the suite's HTTP requests, and whether it fails the suite. */
  latencyBudget?: { p95Ms: number; gate: boolean };
}

export type CheckStatus = 'passed' | 'failed' | 'flaky' | 'skipped';

export interface CheckResult {
  name: string;
  tags: string[];
  kind: CheckKind | 'junit';
  status: CheckStatus;
  attempts: number;
  durationMs: number;
  latencyMs?: number;
  message?: string;
  /** Not in the JSON report: used by the summary and JUnit reporters and for annotations. */
  budgetMs?: number;
  url?: string;
  /** Where the check is defined (`smoke.yml:12`). */
  where?: string;
}

export interface SuiteSummary {
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  total: number;
  durationMs: number;
}

/** The suite's HTTP latency: one sample per HTTP check that got an answer (its last attempt). */
export interface LatencyReport {
  samples: number;
  p95Ms?: number;
  budgetMs?: number;
  /** Whether p95 is within the budget (absent without a budget or samples). */
  withinBudget?: boolean;
  gate: boolean;
}

export interface SuiteResult {
  target: string;
  environment: string;
  /** passed, or failed when a check failed (or a flaky one passed and fail-on-flaky is set). */
  result: 'passed' | 'failed';
  source: string;
  summary: SuiteSummary;
  checks: CheckResult[];
  latency: LatencyReport;
}
