/**
 * The smoke-test model: a suite of checks (as loaded from smoke.yml or built in), the options of a
 * run, and the result every reporter reads.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface HttpExpect {
  /** Accepted status codes (default: 200–299). */
  status?: number[];
  /** JSONPath-like selector (`$.a.b[0]`) → expected value. */
  json?: Record<string, unknown>;
  bodyContains?: string[];
  /** Header name → text the value must contain (case-insensitive). */
  header?: Record<string, string>;
  maxLatencyMs?: number;
}

export interface HttpSpec {
  method: HttpMethod;
  /** Relative to the target (`/health`) … */
  path?: string;
  /** … or an absolute URL (an external dependency). */
  url?: string;
  headers: Record<string, string>;
  body?: string;
  followRedirects: boolean;
  expect: HttpExpect;
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

export interface SuiteResult {
  target: string;
  environment: string;
  /** passed, or failed when a check failed (or a flaky one passed and fail-on-flaky is set). */
  result: 'passed' | 'failed';
  source: string;
  summary: SuiteSummary;
  checks: CheckResult[];
}
