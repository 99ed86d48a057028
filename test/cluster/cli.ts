/**
 * `npm run cluster -- up [--nodes N]`: starts the test control plane in the background and prints
 * its kubeconfig (a running one is reused). `npm run cluster -- down`: stops the clusters `up` started and
 * any left behind by a test process that died, and removes their files (`--all`: also those of test
 * processes still running). `npm run cluster -- status`: lists them.
 */
import { api } from './api.ts';
import { listRecords, startCluster, stopRecord } from './cluster.ts';
import { isAlive } from './processes.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

async function reachable(server: string, dir: string, kubeconfigPath: string): Promise<boolean> {
  try {
    const config = readFileSync(kubeconfigPath, 'utf8');
    const token = /token: (\S+)/.exec(config)?.[1] ?? '';
    const ca = readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    return (await api({ server, token, ca }, 'GET', '/readyz', undefined, { timeoutMs: 3_000 })).status === 200;
  } catch {
    return false;
  }
}

async function up(args: string[]): Promise<number> {
  const at = args.indexOf('--nodes');
  const nodes = at >= 0 ? Number(args[at + 1]) : 2;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) {
    console.error(`--nodes must be an integer from 1 to 50, got '${args[at + 1] ?? ''}'`);
    return 2;
  }
  for (const record of listRecords().filter((r) => r.owner === 0)) {
    if (await reachable(record.server, record.dir, record.kubeconfigPath)) {
      console.log(`Cluster ${record.id} is already running at ${record.server}\nexport KUBECONFIG=${record.kubeconfigPath}`);
      return 0;
    }
    await stopRecord(record, 2_000);
  }
  const started = Date.now();
  const cluster = await startCluster({ nodes, owner: 0 });
  console.log(
    `Cluster ${cluster.id} up in ${((Date.now() - started) / 1000).toFixed(1)}s at ${cluster.server} with nodes ${cluster.nodes.join(', ')}`,
  );
  console.log(`Logs: ${cluster.dir}/*.log\nexport KUBECONFIG=${cluster.kubeconfigPath}`);
  return 0;
}

/** Stops the clusters `up` started and those whose owner died; with --all also those of running test processes. */
async function down(args: string[]): Promise<number> {
  const all = args.includes('--all');
  const records = listRecords().filter((r) => all || r.owner === 0 || !isAlive(r.owner));
  for (const record of records) {
    await stopRecord(record);
    console.log(`Stopped cluster ${record.id} (${record.processes.map((p) => `${p.name}:${p.pid}`).join(' ')})`);
  }
  if (records.length === 0) console.log('No cluster to stop.');
  const others = listRecords();
  if (others.length > 0)
    console.log(
      `Left running (owned by live test processes; --all stops them too): ${others.map((r) => `${r.id} (pid ${r.owner})`).join(', ')}`,
    );
  return 0;
}

function status(): number {
  const records = listRecords();
  for (const r of records) console.log(`${r.id} ${r.server} owner=${r.owner || 'cli'} kubeconfig=${r.kubeconfigPath}`);
  if (records.length === 0) console.log('No cluster running.');
  return 0;
}

async function main(command: string | undefined, rest: string[]): Promise<number> {
  switch (command) {
    case 'up':
      return up(rest);
    case 'down':
      return down(rest);
    case 'status':
      return status();
    default:
      console.error(`Usage: npm run cluster -- up [--nodes N] | down [--all] | status (got '${command ?? ''}')`);
      return 2;
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  process.exitCode = await main(command, rest);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
