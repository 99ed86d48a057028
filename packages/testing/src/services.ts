import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from './runner.ts';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The throwaway PostgreSQL of the real tier (test/services/postgres.sh: installs, starts, idempotent;
 * `stop` stops it). Returns the connection as PG* variables. `env` chooses its port and folder
 * (PTK_PG_PORT, PTK_PG_DIR).
 */
export function postgres(args: string[] = [], env: Record<string, string> = {}): Record<string, string> {
  const result = spawnSync('bash', [path.join(repoRoot, 'test/services/postgres.sh'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 280_000,
  });
  if (result.status !== 0) throw new Error(`postgres.sh ${args.join(' ')} failed:\n${result.stderr}`);
  return Object.fromEntries(
    result.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** PG* variables as the example service reads them (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD). */
export function serviceDatabaseEnv(pg: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(pg).map(([k, v]) => [k.replace(/^PG/, 'DB_').replace('DB_DATABASE', 'DB_NAME'), v]));
}

/** Polls `<url>/health` until it answers 2xx; fails early when the process exits. */
export async function waitForHealth(url: string, child: ChildProcess, logs: () => string = () => '', deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}:\n${logs()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the service did not answer ${url}/health within ${deadlineMs / 1000} s:\n${logs()}`);
}
