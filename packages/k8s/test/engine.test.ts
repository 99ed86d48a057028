import { describe, it, expect } from '@jest/globals';
import { runDeploy } from '../src/bluegreen/engine.ts';
import { recoverInterrupted } from '../src/bluegreen/recover.ts';
import { ANNOTATIONS, CancelledError, type DeploySpec, type Gate } from '../src/bluegreen/model.ts';
import { engineDeps, fail, FakeCluster, fakeHelm, pass } from './fake-cluster.ts';

const spec = (overrides: Partial<DeploySpec> = {}): DeploySpec => ({
  namespace: 'shop',
  release: 'web',
  chart: './chart',
  valuesFiles: [],
  set: [],
  image: 'registry.test/web',
  tag: '1.0.0',
  timeoutMs: 60_000,
  drainMs: 30_000,
  keepPrevious: 'scaled-down',
  lockTimeoutMs: 0,
  runId: 'acme/shop#1',
  runUrl: 'https://github.com/acme/shop/actions/runs/1',
  ...overrides,
});

const blue = { 'app.kubernetes.io/instance': 'web-blue', 'app.kubernetes.io/name': 'web' };
const green = { 'app.kubernetes.io/instance': 'web-green', 'app.kubernetes.io/name': 'web' };
const annotations = (cluster: FakeCluster) => cluster.services.get('web')?.metadata?.annotations ?? {};

async function liveOnBlue(cluster: FakeCluster) {
  const { deps } = engineDeps(cluster, { preSwitchGate: pass, postSwitchGate: pass });
  const outcome = await runDeploy(spec({ runId: 'acme/shop#0' }), deps, 'full');
  expect(outcome.result).toBe('deployed');
  cluster.writes = [];
  cluster.routerHistory = [];
}

describe('blue-green engine (phase logic against an in-memory API)', () => {
  it('bootstraps the router on the first deploy ever and releases the lock', async () => {
    const cluster = new FakeCluster();
    const { deps, helmCalls } = engineDeps(cluster, { preSwitchGate: pass, postSwitchGate: pass });
    const outcome = await runDeploy(spec(), deps, 'full');
    expect(outcome).toMatchObject({ result: 'deployed', liveColor: 'blue', revision: 1, url: 'http://prod.test/web:80' });
    expect(outcome.error).toBeUndefined();
    expect(cluster.services.get('web')?.spec?.selector).toEqual(blue);
    expect(cluster.services.get('web')?.spec?.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(annotations(cluster)).toMatchObject({
      [ANNOTATIONS.liveColor]: 'blue',
      [ANNOTATIONS.verified]: 'true',
      [ANNOTATIONS.liveRevision]: '1',
    });
    expect(cluster.leases.size).toBe(0);
    expect(helmCalls.find((c) => c[0] === 'upgrade')).toEqual(
      expect.arrayContaining(['web-blue', './chart', '--set-string', 'image.repository=registry.test/web', 'image.tag=1.0.0']),
    );
    expect(outcome.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'preflight:ok',
      'lock:ok',
      'deploy-idle:ok',
      'wait-ready:ok',
      'pre-switch gate:ok',
      'switch:ok',
      'verify:ok',
      'release-lock:ok',
    ]);
  });

  it('a second deploy flips to the other colour, drains, then scales the previous colour down', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster, { preSwitchGate: pass, postSwitchGate: pass });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(outcome).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue' });
    expect(cluster.routerHistory).toEqual([green]);
    expect(annotations(cluster)).toMatchObject({
      [ANNOTATIONS.liveColor]: 'green',
      [ANNOTATIONS.previousColor]: 'blue',
      [ANNOTATIONS.previousSelector]: JSON.stringify(blue),
    });
    expect(cluster.deployments.get('web-blue')?.spec?.replicas).toBe(0);
    expect(cluster.deployments.get('web-blue')?.metadata?.annotations?.[ANNOTATIONS.replicas]).toBe('2');
    // The previous colour is scaled down only after the switch was verified and drained.
    expect(cluster.writes.indexOf('patch deployment web-blue')).toBeGreaterThan(cluster.writes.lastIndexOf('patch service web'));
    expect(outcome.phases.find((p) => p.name === 'drain')?.endedAt).toBe(
      outcome.phases.find((p) => p.name === 'drain')!.startedAt + 30_000,
    );
  });

  it('a third deploy scales the scaled-down colour back up before Helm', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    await runDeploy(spec({ tag: '1.1.0', runId: 'r2' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    const outcome = await runDeploy(spec({ tag: '1.2.0', runId: 'r3' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    expect(outcome).toMatchObject({ result: 'deployed', liveColor: 'blue', previousColor: 'green' });
    expect(cluster.deployments.get('web-blue')?.spec?.replicas).toBe(2);
    expect(cluster.deployments.get('web-blue')?.metadata?.annotations?.[ANNOTATIONS.replicas]).toBeUndefined();
  });

  it('idle colour never ready: times out, scales the idle colour down, never touches the router', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster, { preSwitchGate: pass, postSwitchGate: pass });
    const outcome = await runDeploy(spec({ tag: 'never-ready' }), deps, 'full');
    expect(outcome.result).toBe('failed');
    expect(outcome.liveColor).toBe('blue');
    expect(outcome.error).toMatch(/web-green did not become ready within 1m: deployment web-green: 0\/2 ready/);
    expect(outcome.failure).toMatchObject({ kind: 'not-ready', phase: 'wait-ready', message: outcome.error });
    expect(cluster.routerHistory).toEqual([]);
    expect(cluster.writes).not.toContain('patch service web');
    expect(cluster.deployments.get('web-green')?.spec?.replicas).toBe(0);
    expect(cluster.leases.size).toBe(0);
  });

  it('pre-switch smoke fails: no switch, idle colour scaled down', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster, { preSwitchGate: fail, postSwitchGate: pass });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(outcome).toMatchObject({ result: 'failed', liveColor: 'blue' });
    expect(outcome.error).toBe('Pre-switch smoke failed on green: 1/3 checks failed: GET /healthz → 500. Traffic stays on blue.');
    expect(outcome.failure).toEqual({ kind: 'gate', phase: 'pre-switch gate', message: outcome.error });
    expect(outcome.gates).toEqual([
      {
        phase: 'pre-switch',
        color: 'green',
        url: 'http://preview.test/web-green:80',
        passed: false,
        summary: '1/3 checks failed: GET /healthz → 500',
      },
    ]);
    expect(cluster.routerHistory).toEqual([]);
    expect(cluster.deployments.get('web-green')?.spec?.replicas).toBe(0);
  });

  it('post-switch smoke fails: one patch back to the previous colour, which was never scaled down', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster, { preSwitchGate: pass, postSwitchGate: fail });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(outcome).toMatchObject({ result: 'rolled-back', liveColor: 'blue', previousColor: 'green' });
    expect(outcome.rollback).toEqual({
      reason: 'post-switch smoke failed on green: 1/3 checks failed: GET /healthz → 500',
      restored: true,
      details: [
        'the router (Service web) routes to blue again',
        "Helm's record of web-green revision 1 not found (storage driver other than secret or configmap?); not marked failed",
        'scaled down Deployment web-green 2→0',
      ],
    });
    expect(outcome.error).toMatch(/^Rolled back to blue: post-switch smoke failed/);
    expect(outcome.failure).toEqual({ kind: 'gate', phase: 'verify', message: outcome.error });
    expect(cluster.routerHistory).toEqual([green, blue]);
    expect(cluster.writes.filter((w) => w === 'patch deployment web-blue')).toEqual([]);
    expect(cluster.deployments.get('web-blue')?.spec?.replicas).toBe(2);
    expect(cluster.deployments.get('web-green')?.spec?.replicas).toBe(0);
    expect(annotations(cluster)).toMatchObject({ [ANNOTATIONS.liveColor]: 'blue', [ANNOTATIONS.verified]: 'true' });
    expect(annotations(cluster)[ANNOTATIONS.previousColor]).toBeUndefined();
  });

  it('a first deploy whose post-switch gate fails routes back to nothing', async () => {
    const cluster = new FakeCluster();
    const { deps } = engineDeps(cluster, { postSwitchGate: fail });
    const outcome = await runDeploy(spec(), deps, 'full');
    expect(outcome.result).toBe('rolled-back');
    expect(cluster.routerHistory).toEqual([blue, null]);
  });

  it('a gate that throws counts as failed', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const broken: Gate = async () => {
      throw new Error('smoke config unreadable');
    };
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), engineDeps(cluster, { preSwitchGate: broken }).deps, 'full');
    expect(outcome.error).toMatch(/Pre-switch smoke failed on green: the smoke gate could not run: smoke config unreadable/);
  });

  it('refuses while another run holds the lock, changing nothing', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps: other } = engineDeps(cluster);
    await cluster.createLease('shop', {
      metadata: { name: 'web-deploy', annotations: { [ANNOTATIONS.runUrl]: 'https://github.com/acme/shop/actions/runs/7' } },
      spec: {
        holderIdentity: 'acme/shop#7',
        leaseDurationSeconds: 600,
        acquireTime: new Date(other.clock.now()),
        renewTime: new Date(other.clock.now()),
      },
    });
    cluster.writes = [];
    const { deps } = engineDeps(cluster, { postSwitchGate: pass });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(outcome.result).toBe('failed');
    expect(outcome.error).toBe(
      "Another deploy of 'web' holds the lock (Lease shop/web-deploy, held by https://github.com/acme/shop/actions/runs/7 until 2026-11-29T09:10:00.000Z); nothing was changed. Wait for it, or raise lock-timeout.",
    );
    expect(outcome.failure).toEqual({ kind: 'refused', phase: 'lock', message: outcome.error });
    expect(cluster.writes).toEqual(['create lease web-deploy']);
    expect(cluster.leases.get('web-deploy')?.spec?.holderIdentity).toBe('acme/shop#7');
  });

  it('takes over an expired lock, and its own lock from an earlier attempt of the same run', async () => {
    const cluster = new FakeCluster();
    const { deps } = engineDeps(cluster, { postSwitchGate: pass });
    const old = new Date(deps.clock.now() - 3_600_000);
    await cluster.createLease('shop', {
      metadata: { name: 'web-deploy' },
      spec: { holderIdentity: 'dead-run', leaseDurationSeconds: 60, acquireTime: old, renewTime: old },
    });
    const outcome = await runDeploy(spec(), deps, 'full');
    expect(outcome.phases.find((p) => p.name === 'lock')?.detail).toBe('Lease web-deploy taken over (expired, held by dead-run)');
    expect(outcome.result).toBe('deployed');
  });

  it('refuses in preflight when the router selector is owned by another field manager', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    cluster.services
      .get('web')!
      .metadata!.managedFields!.push({ manager: 'helm', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:selector': {} } } });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), engineDeps(cluster).deps, 'full');
    expect(outcome.error).toBe(
      "Preflight refused the deploy: spec.selector of Service 'web' is also owned by field manager 'helm' (Apply).",
    );
    expect(cluster.writes).toEqual([]);
  });

  it('refuses in preflight when the router already selects the idle colour', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    cluster.services.get('web')!.spec!.selector = green;
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), engineDeps(cluster).deps, 'full');
    expect(outcome.error).toBe(
      `Preflight refused the deploy: the router Service web routes to ${JSON.stringify(green)} but pipeline-toolkit last set ${JSON.stringify(blue)} (blue): it was changed outside pipeline-toolkit.`,
    );
    expect(cluster.writes).toEqual([]);
  });

  it('refuses a selector that could select both colours, and a Service that is not a router', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    cluster.services.get('web')!.spec!.selector = { 'app.kubernetes.io/name': 'web' };
    // A router written before the toolkit recorded its selector: judged by Helm's instance label.
    delete cluster.services.get('web')!.metadata!.annotations![ANNOTATIONS.liveSelector];
    expect((await runDeploy(spec(), engineDeps(cluster).deps, 'full')).error).toMatch(
      /does not name one colour by app.kubernetes.io\/instance, so it could select the pods of both colours/,
    );
    delete cluster.services.get('web')!.metadata!.annotations![ANNOTATIONS.managedBy];
    expect((await runDeploy(spec(), engineDeps(cluster).deps, 'full')).error).toMatch(
      /exists but is not a router managed by pipeline-toolkit/,
    );
  });

  it('cancelled during verification: the unverified switch is undone and the lock released', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const controller = new AbortController();
    const { deps, journals } = engineDeps(cluster, {
      signal: controller.signal,
      postSwitchGate: async () => {
        controller.abort();
        throw new Error('aborted');
      },
    });
    // The gate's own error is a failed verdict; cancellation is then seen by the next phase.
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(cluster.routerHistory).toEqual([green, blue]);
    expect(outcome.result).toBe('rolled-back');
    expect(cluster.leases.size).toBe(0);
    expect(journals.at(-1)).toMatchObject({ finished: true, lockHeld: false });
  });

  it('post step after a main step killed mid-switch: restores the last verified colour and frees the lock', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps, journals } = engineDeps(cluster, { postSwitchGate: pass });
    // Kill the main step right after the switch patch (as SIGKILL would): no code of it runs after.
    cluster.beforeWrite = (what) => {
      if (what === 'patch service web' && cluster.routerHistory.length === 1) throw new Error('SIGKILL');
    };
    await runDeploy(spec({ tag: '1.1.0' }), deps, 'full').catch(() => undefined);
    cluster.beforeWrite = () => {};
    const journal = journals.filter((j) => !j.finished).at(-1)!;
    expect(journal.switchInFlight).toEqual({ to: 'green', from: 'blue', previousRoute: blue });
    // What the post step sees when main died: the journal as last saved before the end.
    cluster.leases.set('web-deploy', { metadata: { name: 'web-deploy', resourceVersion: '999' }, spec: { holderIdentity: 'acme/shop#1' } });
    const notes = await recoverInterrupted(cluster, deps.helm, journal, deps.log);
    expect(notes).toEqual([
      'restored the router (Service web) to blue (the switch to green was never verified)',
      'Lease web-deploy released',
    ]);
    expect(cluster.services.get('web')?.spec?.selector).toEqual(blue);
    expect(cluster.leases.size).toBe(0);
  });

  it('the post step does nothing after a main step that finished', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    expect(
      await recoverInterrupted(
        cluster,
        engineDeps(cluster).deps.helm,
        { namespace: 'shop', release: 'web', runId: 'x', lockHeld: false, finished: true },
        engineDeps(cluster).log,
      ),
    ).toEqual([]);
    expect(cluster.writes).toEqual([]);
  });

  it('a re-run after a run died mid-switch converges: restores first, then deploys', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    cluster.beforeWrite = (what) => {
      if (what === 'patch service web' && cluster.routerHistory.length === 1) throw new Error('runner lost');
    };
    await runDeploy(spec({ tag: '1.1.0', runId: 'dead' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    cluster.beforeWrite = () => {};
    // The dead run's switch was undone by its own error path; simulate the worst case (undo lost too).
    cluster.services.get('web')!.spec!.selector = green;
    Object.assign(cluster.services.get('web')!.metadata!.annotations!, {
      [ANNOTATIONS.liveColor]: 'green',
      [ANNOTATIONS.verified]: 'false',
      [ANNOTATIONS.previousColor]: 'blue',
      [ANNOTATIONS.previousSelector]: JSON.stringify(blue),
    });
    cluster.routerHistory = [];
    const outcome = await runDeploy(spec({ tag: '1.1.0', runId: 'rerun' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    expect(outcome.phases.map((p) => p.name)).toContain('rollback');
    expect(outcome).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue' });
    expect(cluster.routerHistory).toEqual([blue, green]);
  });

  it('deploy and promote as separate invocations resume from the router annotations', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const deployed = await runDeploy(
      spec({ tag: '1.1.0', runId: 'deploy-job' }),
      engineDeps(cluster, { preSwitchGate: pass }).deps,
      'deploy',
    );
    expect(deployed).toMatchObject({ result: 'deployed', liveColor: 'blue', revision: 1 });
    expect(cluster.routerHistory).toEqual([]);
    expect(annotations(cluster)).toMatchObject({ [ANNOTATIONS.pendingColor]: 'green', [ANNOTATIONS.pendingRevision]: '1' });
    const promoted = await runDeploy(spec({ runId: 'promote-job' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'promote');
    expect(promoted.error).toBeUndefined();
    expect(promoted).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue', revision: 1 });
    expect(cluster.routerHistory).toEqual([green]);
    expect(annotations(cluster)[ANNOTATIONS.pendingColor]).toBeUndefined();
  });

  it('promote refuses a pending colour whose release changed since it was gated', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps, helm } = { ...engineDeps(cluster, { preSwitchGate: pass }), helm: undefined };
    void helm;
    await runDeploy(spec({ tag: '1.1.0', runId: 'deploy-job' }), deps, 'deploy');
    await deps.helm.upgrade({ release: 'web-green', namespace: 'shop', chart: './chart', setString: ['image.tag=9.9.9'], timeoutMs: 1000 });
    const outcome = await runDeploy(spec({ runId: 'promote-job' }), { ...deps }, 'promote');
    expect(outcome.error).toBe(
      'Refusing to promote green: its release is at revision 2, but revision 1 was deployed and gated. Deploy again.',
    );
    expect(cluster.services.get('web')?.spec?.selector).toEqual(blue);
  });

  it('promote with nothing pending says so', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    expect((await runDeploy(spec(), engineDeps(cluster).deps, 'promote')).error).toMatch(/Nothing to promote/);
  });

  it('rollback mode discards a deployed but unpromoted colour (approval rejected)', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    await runDeploy(spec({ tag: '1.1.0', runId: 'deploy-job' }), engineDeps(cluster).deps, 'deploy');
    const outcome = await runDeploy(spec({ runId: 'cleanup-job' }), engineDeps(cluster).deps, 'rollback');
    expect(outcome).toMatchObject({ result: 'unchanged', liveColor: 'blue' });
    expect(cluster.deployments.get('web-green')?.spec?.replicas).toBe(0);
    expect(annotations(cluster)[ANNOTATIONS.pendingColor]).toBeUndefined();
    expect(cluster.routerHistory).toEqual([]);
  });

  it('rollback mode scales the previous colour back up, waits, then routes back in one write', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    await runDeploy(spec({ tag: '1.1.0', runId: 'r2' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    expect(cluster.deployments.get('web-blue')?.spec?.replicas).toBe(0);
    cluster.routerHistory = [];
    const outcome = await runDeploy(spec({ runId: 'r3' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'rollback');
    expect(outcome).toMatchObject({ result: 'rolled-back', liveColor: 'blue', previousColor: 'green' });
    expect(outcome.rollback?.details).toEqual(['the router (Service web) routes to blue again', 'scaled up web-blue 0→2']);
    expect(cluster.routerHistory).toEqual([blue]);
    expect(cluster.deployments.get('web-green')?.spec?.replicas).toBe(0);
  });

  it('rollback mode reports precisely when the previous colour is gone', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    await runDeploy(
      spec({ tag: '1.1.0', runId: 'r2', keepPrevious: 'uninstall' }),
      engineDeps(cluster, { postSwitchGate: pass }).deps,
      'full',
    );
    const outcome = await runDeploy(spec({ runId: 'r3' }), engineDeps(cluster).deps, 'rollback');
    expect(outcome.result).toBe('failed');
    expect(outcome.rollback).toEqual({ reason: 'requested', restored: false, details: ["blue's release web-blue is gone (uninstalled?)"] });
    expect(cluster.services.get('web')?.spec?.selector).toEqual(green);
  });

  it('does not route back to a previous colour that can no longer serve; says what it cannot restore', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster, {
      preSwitchGate: pass,
      postSwitchGate: async () => {
        // Someone scales the old colour away while the new one is being verified.
        cluster.deployments.get('web-blue')!.spec!.replicas = 0;
        return { passed: false, summary: 'GET / → 503' };
      },
    });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(outcome.rollback).toEqual({
      reason: 'post-switch smoke failed on green: GET / → 503',
      restored: false,
      details: ['cannot route back to blue: deployment web-blue: scaled to 0', 'traffic stays on green'],
    });
    expect(outcome.result).toBe('failed');
    expect(cluster.services.get('web')?.spec?.selector).toEqual(green);
  });

  it('recovers a Helm release left pending-upgrade before upgrading it', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps, releases, helmCalls, log } = engineDeps(cluster, { postSwitchGate: pass });
    releases.set('web-green', {
      revision: 2,
      status: 'pending-upgrade',
      history: [
        { revision: 1, status: 'deployed' },
        { revision: 2, status: 'pending-upgrade' },
      ],
    });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(outcome.result).toBe('deployed');
    expect(helmCalls.map((c) => c[0])).toEqual(expect.arrayContaining(['rollback', 'upgrade']));
    expect(log.text()).toMatch(
      /Recovered a stuck Helm release: release web-green was pending-upgrade at revision 2; rolled back to revision 1/,
    );
  });

  it('cancelled while waiting for the idle colour: scales it down, router untouched, lock released', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const controller = new AbortController();
    const { deps } = engineDeps(cluster, { signal: controller.signal });
    deps.clock = {
      now: () => Date.parse('2026-11-29T09:00:00Z'),
      sleep: async () => {
        controller.abort();
        throw new CancelledError();
      },
    };
    const outcome = await runDeploy(spec({ tag: 'never-ready' }), deps, 'full');
    expect(outcome).toMatchObject({ result: 'failed', error: 'The deploy was cancelled.', liveColor: 'blue' });
    expect(cluster.routerHistory).toEqual([]);
    expect(cluster.deployments.get('web-green')?.spec?.replicas).toBe(0);
    expect(cluster.leases.size).toBe(0);
  });

  it('lock-timeout: waits for another run to release the lock, then proceeds', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster, { postSwitchGate: pass });
    const now = new Date(deps.clock.now());
    await cluster.createLease('shop', {
      metadata: { name: 'web-deploy' },
      spec: { holderIdentity: 'other', leaseDurationSeconds: 600, acquireTime: now, renewTime: now },
    });
    let waited = 0;
    const clock = deps.clock;
    deps.clock = {
      now: () => clock.now(),
      sleep: async (ms, signal) => {
        waited += ms;
        // The other run finishes after 4 s of waiting.
        if (waited >= 4000) cluster.leases.delete('web-deploy');
        return clock.sleep(ms, signal);
      },
    };
    const outcome = await runDeploy(spec({ tag: '1.1.0', lockTimeoutMs: 60_000 }), deps, 'full');
    expect(outcome).toMatchObject({ result: 'deployed', liveColor: 'green' });
    expect(waited).toBeGreaterThanOrEqual(4000);
  });

  it('lock-timeout: gives up after waiting that long', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster);
    const now = new Date(deps.clock.now());
    await cluster.createLease('shop', {
      metadata: { name: 'web-deploy' },
      spec: { holderIdentity: 'other', leaseDurationSeconds: 3600, acquireTime: now, renewTime: now },
    });
    const started = deps.clock.now();
    const outcome = await runDeploy(spec({ tag: '1.1.0', lockTimeoutMs: 10_000 }), deps, 'full');
    expect(outcome.error).toMatch(/^Another deploy of 'web' holds the lock \(Lease shop\/web-deploy, held by other until/);
    expect(deps.clock.now() - started).toBe(10_000);
  });

  it('a chart that changes the immutable selector of the idle Deployment: the idle release is uninstalled, then installed afresh; the live colour untouched', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    await runDeploy(spec({ tag: '1.1.0', runId: 'r2' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    cluster.writes = [];
    const { deps, helmCalls, log } = engineDeps(cluster, { preSwitchGate: pass });
    const outcome = await runDeploy(spec({ tag: '1.2.0', set: ['extraSelector=v2'] }), deps, 'deploy');
    expect(outcome.error).toBeUndefined();
    expect(outcome.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'preflight:ok',
      'lock:ok',
      'recreate-idle:ok',
      'deploy-idle:ok',
      'wait-ready:ok',
      'pre-switch gate:ok',
      'record pending:ok',
      'release-lock:ok',
    ]);
    expect(outcome.phases.find((p) => p.name === 'recreate-idle')?.detail).toBe(
      'web-blue uninstalled to be installed afresh (Deployment web-blue change immutable fields)',
    );
    expect(log.text()).toContain(
      'The chart changes immutable fields of web-blue, which takes no traffic: Deployment web-blue selects {"app.kubernetes.io/instance":"web-blue","app.kubernetes.io/name":"web"} but the chart now renders {"app.kubernetes.io/instance":"web-blue","app.kubernetes.io/name":"web","extra":"v2"}. It is uninstalled and installed afresh.',
    );
    // Installed afresh: revision 1, pending promote; green (live) never written to, never uninstalled.
    expect(annotations(cluster)[ANNOTATIONS.pendingRevision]).toBe('1');
    expect(cluster.deployments.get('web-blue')?.spec?.selector?.matchLabels).toEqual({ ...blue, extra: 'v2' });
    expect(cluster.writes.filter((w) => w.includes('web-green'))).toEqual([]);
    const verbs = helmCalls.map((c) => c.slice(0, 2).join(' '));
    expect(verbs.filter((v) => /^(uninstall|upgrade)/.test(v))).toEqual(['uninstall web-blue', 'upgrade web-blue']);
  });

  it('an immutable change to an object the idle release does not own is refused in preflight, nothing changed', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    await runDeploy(spec({ tag: '1.1.0', runId: 'r2' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    // Someone adopted web-blue outside Helm (kubectl apply): nothing proves it is the idle colour's to delete.
    cluster.deployments.get('web-blue')!.metadata!.annotations = {};
    cluster.writes = [];
    const { deps, helmCalls } = engineDeps(cluster);
    const outcome = await runDeploy(spec({ tag: '1.2.0', set: ['extraSelector=v2'] }), deps, 'full');
    expect(outcome.error).toBe(
      'Preflight refused the deploy: Deployment web-blue selects {"app.kubernetes.io/instance":"web-blue","app.kubernetes.io/name":"web"} but the chart now renders {"app.kubernetes.io/instance":"web-blue","app.kubernetes.io/name":"web","extra":"v2"}; these fields are immutable, and web-blue belongs to no Helm release, not to web-blue, so it cannot be recreated safely. Nothing was changed; rename the object in the chart (build its name from {{ .Release.Name }}).',
    );
    expect(cluster.writes).toEqual([]);
    // Helm found first, then the chart rendered for the idle colour, then what the live colour owns: no install, no upgrade.
    expect(helmCalls.map((c) => c.slice(0, 2).join(' '))).toEqual(['version --template', 'template web-blue', 'get manifest']);
    expect(helmCalls[1]).toEqual([
      'template',
      'web-blue',
      './chart',
      '--namespace',
      'shop',
      '--set',
      'extraSelector=v2',
      '--set-string',
      'image.repository=registry.test/web',
      '--set-string',
      'image.tag=1.2.0',
      '--kubeconfig',
      '/tmp/kubeconfig',
    ]);
  });

  it('stops before the switch when its lock was taken over during a long step', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    const { deps } = engineDeps(cluster, {
      preSwitchGate: async () => {
        // The gate ran past the Lease's duration; another run took the lock over.
        const lease = cluster.leases.get('web-deploy')!;
        lease.spec = { ...lease.spec, holderIdentity: 'acme/shop#99' };
        return { passed: true, summary: 'ok' };
      },
      postSwitchGate: pass,
    });
    const outcome = await runDeploy(spec({ tag: '1.1.0' }), deps, 'full');
    expect(outcome.error).toBe(
      'This run lost the deploy lock (Lease shop/web-deploy is now held by acme/shop#99); it stops before changing anything more.',
    );
    expect(cluster.routerHistory).toEqual([]);
    expect(cluster.leases.get('web-deploy')?.spec?.holderIdentity).toBe('acme/shop#99');
    expect(outcome.phases.find((p) => p.name === 'release-lock')?.detail).toBe('Lease web-deploy is held by acme/shop#99, left alone');
  });

  it('Helm fails on the idle colour: the idle colour is scaled down again, the router untouched', async () => {
    const cluster = new FakeCluster();
    await liveOnBlue(cluster);
    await runDeploy(spec({ tag: '1.1.0', runId: 'r2' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'full');
    cluster.routerHistory = [];
    const { deps } = engineDeps(cluster);
    deps.helm = fakeHelm(cluster, { failUpgrade: 'Error: UPGRADE FAILED: timed out waiting for the condition' }).helm;
    const outcome = await runDeploy(spec({ tag: '1.2.0', runId: 'r3' }), deps, 'full');
    expect(outcome.error).toMatch(
      /helm upgrade web-blue' exited with code 1:\nError: UPGRADE FAILED: timed out waiting for the condition$/,
    );
    expect(cluster.writes).toContain('patch deployment web-blue');
    expect(cluster.deployments.get('web-blue')?.spec?.replicas).toBe(0);
    expect(cluster.routerHistory).toEqual([]);
    expect(cluster.services.get('web')?.spec?.selector).toEqual(green);
  });

  describe.each([
    ['ingress', { kind: 'ingress', name: 'shop', host: 'shop.test', previewHost: 'next.shop.test' }],
    ['gateway', { kind: 'gateway', name: 'shop', gateway: { name: 'edge' }, previewHost: 'next.shop.test' }],
  ] as const)('router %s through the engine', (kind, router) => {
    const resource = kind === 'ingress' ? 'Ingress/shop' : 'HTTPRoute/shop';
    /** Where the router object sends live traffic, read from its stored spec. */
    const live = (cluster: FakeCluster) => {
      const object = cluster.routes.get(resource) as
        | {
            spec?: {
              rules?: {
                host?: string;
                http?: { paths?: { backend?: { service?: { name?: string } } }[] };
                backendRefs?: { name?: string; weight?: number }[];
              }[];
            };
          }
        | undefined;
      const rules = object?.spec?.rules ?? [];
      if (kind === 'ingress') return rules.find((r) => r.host === 'shop.test')?.http?.paths?.[0]?.backend?.service?.name;
      return rules[0]?.backendRefs?.find((b) => (b.weight ?? 1) > 0)?.name;
    };

    it(`router ${kind}: deploy then promote, a discarded deploy, a full deploy and rollback mode, each resuming from the object's annotations`, async () => {
      const cluster = new FakeCluster();
      const deployed = await runDeploy(spec({ router, runId: 'deploy-1' }), engineDeps(cluster, { preSwitchGate: pass }).deps, 'deploy');
      expect(deployed.error).toBeUndefined();
      expect(deployed.previewUrl).toBe('http://next.shop.test/');
      expect(live(cluster)).toBeUndefined();
      expect(cluster.routes.get(resource)?.metadata?.annotations?.[ANNOTATIONS.pendingColor]).toBe('blue');
      const promoted = await runDeploy(spec({ router, runId: 'promote-1' }), engineDeps(cluster, { postSwitchGate: pass }).deps, 'promote');
      expect(promoted.error).toBeUndefined();
      expect(promoted).toMatchObject({ result: 'deployed', liveColor: 'blue' });
      expect(live(cluster)).toBe('web-blue');
      // Approval rejected: the pending colour is discarded, traffic never moved.
      await runDeploy(spec({ router, tag: '1.1.0', runId: 'deploy-2' }), engineDeps(cluster).deps, 'deploy');
      const discarded = await runDeploy(spec({ router, runId: 'cleanup-2' }), engineDeps(cluster).deps, 'rollback');
      expect(discarded).toMatchObject({ result: 'unchanged', liveColor: 'blue' });
      expect(live(cluster)).toBe('web-blue');
      const full = await runDeploy(
        spec({ router, tag: '1.2.0', runId: 'full-3' }),
        engineDeps(cluster, { postSwitchGate: pass }).deps,
        'full',
      );
      expect(full).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue' });
      expect(live(cluster)).toBe('web-green');
      const back = await runDeploy(spec({ router, runId: 'rollback-4' }), engineDeps(cluster).deps, 'rollback');
      expect(back.error).toBeUndefined();
      expect(back).toMatchObject({ result: 'rolled-back', liveColor: 'blue' });
      expect(live(cluster)).toBe('web-blue');
      // No Service router was ever made: the engine drove only the configured kind.
      expect(cluster.services.has('web')).toBe(false);
    });
  });
});
