/**
 * Control-plane processes and the registry that lets anything started here be stopped by PID:
 * by the owner's stop(), by its exit handler, by the next startCluster() after the owner died
 * (even by SIGKILL), and by `npm run cluster -- down`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const registryDir = path.join(tmpdir(), 'pipeline-toolkit-clusters');

export interface RecordedProcess {
  name: string;
  pid: number;
  /** The executable, checked against /proc/<pid>/cmdline before a signal is sent (PIDs get reused). */
  bin: string;
}

export interface ClusterRecord {
  id: string;
  dir: string;
  /** PID of the process that owns the cluster; 0 for one started by `npm run cluster -- up`. */
  owner: number;
  kubeconfigPath: string;
  server: string;
  processes: RecordedProcess[];
}

export function recordPath(id: string): string {
  return path.join(registryDir, `${id}.json`);
}

export function saveRecord(record: ClusterRecord): void {
  mkdirSync(registryDir, { recursive: true });
  writeFileSync(recordPath(record.id), JSON.stringify(record, null, 2) + '\n');
}

export function listRecords(): ClusterRecord[] {
  if (!existsSync(registryDir)) return [];
  return readdirSync(registryDir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        return [JSON.parse(readFileSync(path.join(registryDir, f), 'utf8')) as ClusterRecord];
      } catch {
        return [];
      }
    });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True while pid is still the recorded executable (not an unrelated process that got its PID). */
function isOurs(proc: RecordedProcess): boolean {
  try {
    return readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0')[0] === proc.bin;
  } catch {
    return false;
  }
}

function signal(proc: RecordedProcess, sig: NodeJS.Signals): void {
  if (!isOurs(proc)) return;
  try {
    // Each component leads its own process group (spawned detached).
    process.kill(-proc.pid, sig);
  } catch {
    /* already gone */
  }
}

/** Synchronous teardown for exit handlers: SIGKILL to every recorded process, then the files. */
export function killRecordNow(record: ClusterRecord): void {
  for (const proc of record.processes) signal(proc, 'SIGKILL');
  rmSync(record.dir, { recursive: true, force: true });
  rmSync(recordPath(record.id), { force: true });
}

/** Graceful teardown: SIGTERM in reverse start order, SIGKILL after the grace period, then the files. */
export async function stopRecord(record: ClusterRecord, graceMs = 10_000): Promise<void> {
  for (const proc of [...record.processes].reverse()) {
    signal(proc, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isOurs(proc) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    signal(proc, 'SIGKILL');
  }
  rmSync(record.dir, { recursive: true, force: true });
  if (existsSync(recordPath(record.id))) unlinkSync(recordPath(record.id));
}

/** Stops clusters whose owning process has died without cleaning up. */
export async function reapOrphans(): Promise<void> {
  for (const record of listRecords()) {
    if (record.owner !== 0 && !isAlive(record.owner)) await stopRecord(record, 2_000);
  }
}

export interface Started {
  child: ChildProcess;
  record: RecordedProcess;
  log: string;
}

/** Starts a component with its output in <dir>/<name>.log, detached so that teardown can signal its group. */
export function startProcess(dir: string, name: string, bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): Started {
  const log = path.join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  try {
    const child = spawn(bin, args, { cwd: dir, env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${bin}`);
    child.unref();
    return { child, record: { name, pid: child.pid, bin }, log };
  } finally {
    closeSync(fd);
  }
}

export async function logTail(log: string, lines = 30): Promise<string> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
