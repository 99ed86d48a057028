import type { Check, Suite, TargetEntry } from './model.ts';

/** Suite defaults when a file does not set them. */
export const DEFAULTS = { timeout: 5000, retries: 2, backoff: 500, concurrency: 8 };

export const DEFAULT_LOCAL_URL = 'http://localhost:8000';

/** `production: ${PRODUCTION_URL}` and `local: ${LOCAL_URL:-http://localhost:8000}`, as in the original design. */
export function defaultTargets(env: Readonly<Record<string, string>>): Record<string, TargetEntry> {
  return {
    production: env['PRODUCTION_URL'] ? { url: env['PRODUCTION_URL'] } : { missing: 'PRODUCTION_URL' },
    local: { url: env['LOCAL_URL'] || DEFAULT_LOCAL_URL },
  };
}

/**
 * The suite used when there is no suite file, following the original design: environment
 * preflight, GET /health on the target, TCP to DB_HOST:DB_PORT.
 */
export function defaultSuite(env: Record<string, string>): Suite {
  const common = { timeoutMs: DEFAULTS.timeout, retries: DEFAULTS.retries, backoffMs: DEFAULTS.backoff, where: 'built-in default suite' };
  const port = Number(env['DB_PORT']);
  const database: Check = {
    ...common,
    name: 'database port',
    tags: ['smoke', 'critical'],
    kind: 'tcp',
    tcp: { host: env['DB_HOST'] ?? '', port },
    ...(!env['DB_HOST'] || !Number.isInteger(port) || port < 1 || port > 65535
      ? { unavailable: 'DB_HOST and DB_PORT (1-65535) must be set to check the database port' }
      : {}),
  };
  return {
    source: 'built-in default suite',
    targets: defaultTargets(env),
    concurrency: DEFAULTS.concurrency,
    health: 'health',
    checks: [
      {
        ...common,
        name: 'configuration',
        tags: ['smoke', 'critical'],
        kind: 'env',
        env: {
          required: ['SECRET_KEY', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'ENVIRONMENT'],
          oneOf: { ENVIRONMENT: ['development', 'production'] },
        },
      },
      {
        ...common,
        name: 'health',
        tags: ['smoke', 'critical'],
        kind: 'http',
        http: { method: 'GET', path: '/health', headers: {}, followRedirects: false, maxRedirects: 10, expect: { status: [200] } },
      },
      database,
    ],
    env,
    secrets: [],
  };
}
