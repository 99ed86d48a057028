import type { Client } from 'pg';
import type { PostgresSpec } from '../model.ts';
import { describeError, errorCode, fail, isTransientError, pass, type Outcome } from '../outcome.ts';
import type { CheckContext } from './context.ts';

/** Credentials from the suite, else libpq's PGUSER/PGPASSWORD, else DB_USER/DB_PASSWORD. */
export function postgresCredentials(spec: PostgresSpec, env: Readonly<Record<string, string>>): { user?: string; password?: string } {
  const user = spec.user || env['PGUSER'] || env['DB_USER'];
  const password = spec.password || env['PGPASSWORD'] || env['DB_PASSWORD'];
  return { ...(user ? { user } : {}), ...(password ? { password } : {}) };
}

/** Messages for the server's SQLSTATE codes a smoke check meets; none of them quotes a password. */
const SQLSTATE: Record<string, string> = {
  '28P01': 'password authentication failed',
  '28000': 'authentication rejected (check the user and pg_hba.conf)',
  '3D000': 'database does not exist',
  '57P03': 'the server is starting up',
  '53300': 'too many connections',
};

/**
 * pg's Client, loaded only here. Its module on its own rather than the package entry: the entry
 * also loads pg-pool, whose ESM build a bundler may hand to pg's `require()` and break `extends Pool`.
 * The module is CommonJS, so the class is the default export from source and from a bundle alike.
 */
async function loadClient(): Promise<typeof Client> {
  return (await import('pg/lib/client.js')).default;
}

/** Connects, runs SELECT 1 and disconnects. */
export async function runPostgres(spec: PostgresSpec, ctx: CheckContext): Promise<Outcome> {
  const PgClient = await loadClient();
  const { user, password } = postgresCredentials(spec, ctx.env);
  const client = new PgClient({
    host: spec.host,
    port: spec.port,
    database: spec.database,
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    ssl: spec.ssl,
    connectionTimeoutMillis: ctx.timeoutMs,
    query_timeout: ctx.timeoutMs,
    application_name: 'pipeline-toolkit-smoke',
  });
  // Errors after connect (server shutting down) must not crash the process.
  client.on('error', () => undefined);
  const where = `${spec.database} on ${spec.host}:${spec.port}${user ? ` as ${user}` : ''}`;
  const started = performance.now();
  try {
    await client.connect();
    const result = await client.query<{ ok: number }>('SELECT 1 AS ok');
    if (result.rows[0]?.ok !== 1) return fail(`${where}: SELECT 1 returned ${JSON.stringify(result.rows)}`);
    return pass({ latencyMs: Math.round(performance.now() - started) });
  } catch (error) {
    const code = errorCode(error);
    const known = code ? SQLSTATE[code] : undefined;
    const timedOut = error instanceof Error && /timeout/i.test(error.message);
    const reason = known ?? (timedOut ? `timed out after ${ctx.timeoutMs}ms` : describeError(error));
    return fail(`${where}: ${reason}`, { transient: isTransientError(error) || timedOut });
  } finally {
    await client.end().catch(() => undefined);
  }
}
