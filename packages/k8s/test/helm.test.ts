import { describe, it, expect } from '@jest/globals';
import { MemoryLogger, type Exec, type ExecResult } from '@pipeline-toolkit/core';
import { Helm, helmDuration } from '../src/helm.ts';

function recordingHelm(answers: Record<string, Partial<ExecResult>> = {}) {
  const calls: string[][] = [];
  const disposed: string[] = [];
  const exec: Exec = async (command, args, options) => {
    calls.push([command, ...args]);
    const answer = answers[args[0] ?? ''] ?? {};
    const result = { exitCode: 0, stdout: '', stderr: '', ...answer };
    if (!(options?.okExitCodes ?? [0]).includes(result.exitCode)) throw new Error(`exit ${result.exitCode}`);
    return result;
  };
  const helm = new Helm({
    binary: '/opt/helm',
    exec,
    log: new MemoryLogger(),
    kubeconfig: async () => ({ path: '/tmp/ptk-helm-1/kubeconfig', dispose: async () => void disposed.push('kubeconfig') }),
  });
  return { helm, calls, disposed };
}

const release = {
  release: 'web-green',
  namespace: 'shop',
  chart: './charts/web',
  chartVersion: '0.3.1',
  valuesFiles: ['values.yaml', 'values-prod.yaml'],
  set: ['replicaCount=3'],
  setString: ['image.tag=1.10'],
  timeoutMs: 300_000,
};

describe('Helm', () => {
  it('detects Helm 3 and Helm 4 from `helm version`', async () => {
    expect(await recordingHelm({ version: { stdout: 'v3.18.0' } }).helm.major()).toBe(3);
    const four = recordingHelm({ version: { stdout: 'v4.1.4' } });
    expect(await four.helm.major()).toBe(4);
    expect(four.calls).toEqual([['/opt/helm', 'version', '--template', '{{.Version}}']]);
    await expect(recordingHelm({ version: { stdout: 'v2.17.0' } }).helm.major()).rejects.toThrow(
      'Helm v2.17.0 is not supported: use Helm 3 or Helm 4.',
    );
  });

  it('builds the Helm 3 upgrade argv with an explicit timeout', () => {
    expect(recordingHelm().helm.upgradeArgs(release, 3)).toEqual([
      'upgrade',
      'web-green',
      './charts/web',
      '--install',
      '--namespace',
      'shop',
      '--timeout',
      '300s',
      '--version',
      '0.3.1',
      '--values',
      'values.yaml',
      '--values',
      'values-prod.yaml',
      '--set',
      'replicaCount=3',
      '--set-string',
      'image.tag=1.10',
    ]);
  });

  it('spells out the hooks-only wait strategy for Helm 4 (its --wait takes a value, passed with =) and takes back replicas', () => {
    expect(recordingHelm().helm.upgradeArgs({ ...release, chartVersion: undefined, valuesFiles: [], set: [], setString: [] }, 4)).toEqual([
      'upgrade',
      'web-green',
      './charts/web',
      '--install',
      '--namespace',
      'shop',
      '--timeout',
      '300s',
      '--wait=hookOnly',
      '--force-conflicts',
    ]);
  });

  it('rounds timeouts up to whole seconds', () => {
    expect(helmDuration(1)).toBe('1s');
    expect(helmDuration(90_500)).toBe('91s');
  });

  it('runs upgrade with a per-call kubeconfig, removed afterwards, then reads the revision', async () => {
    const { helm, calls, disposed } = recordingHelm({
      version: { stdout: 'v3.18.0' },
      status: { stdout: '{"name":"web-green","version":7,"info":{"status":"deployed"}}' },
    });
    expect(await helm.upgrade(release)).toEqual({ status: 'deployed', revision: 7 });
    expect(calls[1]).toEqual(['/opt/helm', ...helm.upgradeArgs(release, 3), '--kubeconfig', '/tmp/ptk-helm-1/kubeconfig']);
    expect(calls[2]).toEqual([
      '/opt/helm',
      'status',
      'web-green',
      '--namespace',
      'shop',
      '--output',
      'json',
      '--kubeconfig',
      '/tmp/ptk-helm-1/kubeconfig',
    ]);
    expect(disposed).toEqual(['kubeconfig', 'kubeconfig']);
  });

  it('reports a missing release as undefined / empty history', async () => {
    const { helm } = recordingHelm({
      status: { exitCode: 1, stderr: 'Error: release: not found' },
      history: { exitCode: 1, stderr: 'Error: release: not found' },
    });
    expect(await helm.status('web-blue', 'shop')).toBeUndefined();
    expect(await helm.history('web-blue', 'shop')).toEqual([]);
  });

  it('recovers pending-upgrade by rolling back to the last deployed revision', async () => {
    const { helm, calls } = recordingHelm({
      status: { stdout: '{"version":5,"info":{"status":"pending-upgrade"}}' },
      history: {
        stdout: JSON.stringify([
          { revision: 3, status: 'superseded', chart: 'web-0.3.0', app_version: '1', description: '' },
          { revision: 4, status: 'deployed', chart: 'web-0.3.1', app_version: '1', description: '' },
          { revision: 5, status: 'pending-upgrade', chart: 'web-0.3.1', app_version: '1', description: '' },
        ]),
      },
    });
    expect(await helm.recoverPending('web-blue', 'shop', 60_000)).toBe(
      'release web-blue was pending-upgrade at revision 5; rolled back to revision 4',
    );
    expect(calls.at(-1)).toEqual([
      '/opt/helm',
      'rollback',
      'web-blue',
      '4',
      '--namespace',
      'shop',
      '--timeout',
      '60s',
      '--kubeconfig',
      '/tmp/ptk-helm-1/kubeconfig',
    ]);
  });

  it('uninstalls a release stuck in pending-install with nothing deployed', async () => {
    const { helm, calls } = recordingHelm({
      status: { stdout: '{"version":1,"info":{"status":"pending-install"}}' },
      history: { stdout: '[{"revision":1,"status":"pending-install","chart":"web-0.3.1","app_version":"1","description":""}]' },
    });
    expect(await helm.recoverPending('web-blue', 'shop', 60_000)).toMatch(/pending-install with no deployed revision; uninstalled it/);
    expect(calls.at(-1)).toEqual([
      '/opt/helm',
      'uninstall',
      'web-blue',
      '--namespace',
      'shop',
      '--timeout',
      '60s',
      '--kubeconfig',
      '/tmp/ptk-helm-1/kubeconfig',
    ]);
  });

  it('leaves a deployed release alone', async () => {
    const { helm, calls } = recordingHelm({ status: { stdout: '{"version":2,"info":{"status":"deployed"}}' } });
    expect(await helm.recoverPending('web-blue', 'shop', 60_000)).toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});
