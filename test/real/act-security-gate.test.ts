import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { advisoriesDir, type LoopbackServer } from '@pipeline-toolkit/testing';
import { requireAct } from '../act/install.ts';
import { prepareWorkspace, pullRequestStandIns, readmeCaller, runPullRequest, type ActRun, type ActWorkspace } from '../act/pipeline.ts';
import { requirePythonVenv } from './python-venv.ts';

/**
 * The security gate failing for the right reason under act: README.md's caller (every default of
 * the reusable workflow, so all three scanners installed and run) on a pull request whose commit
 * adds a dependency with a known HIGH vulnerability to the example service — Werkzeug 3.0.1,
 * GHSA-2g68-c3qc-8985 / CVE-2024-34069, fixed in 3.0.3. Trivy's database comes through the
 * actions/cache stand-in under the workflow's own key, built offline by trivy-db from real
 * advisories (ADR-033). The same caller on the unchanged service stays green
 * (test/real/act-readme.test.ts, with the same database).
 */
const ADVISORY = 'advisories/github-reviewed/2024/05/GHSA-2g68-c3qc-8985/GHSA-2g68-c3qc-8985.json';
const advisory = JSON.parse(readFileSync(path.join(advisoriesDir, 'ghsa', ADVISORY), 'utf8')) as {
  id: string;
  aliases: string[];
  affected: { package: { name: string }; ranges: { events: Record<string, string>[] }[] }[];
  database_specific: { severity: string };
};
const cve = advisory.aliases.find((a) => a.startsWith('CVE-'))!;
const pkg = advisory.affected[0]!.package.name;
const fixed = advisory.affected[0]!.ranges.flatMap((r) => r.events).find((e) => e['fixed'])!['fixed']!;
const PIN = `${pkg}==3.0.1`;

const slackPath = '/services/T0GATE/B0GATE/gatewebhooksecret';
const token = 'ghs_gateCallerToken0123456789abcdefXYZ';

let slack: LoopbackServer;
let github: LoopbackServer;
let ws: ActWorkspace;
let run: ActRun;

const ofJob = (job: string, command: string) => run.entries.filter((e) => e['jobID'] === job && e['command'] === command);
const result = (job: string) => run.jobs.filter((j) => j.job === job).map((j) => j.result);
const summary = (job: string) =>
  ofJob(job, 'summary')
    .map((e) => String(e['content']))
    .join('\n');

beforeAll(async () => {
  const act = requireAct();
  const venv = requirePythonVenv();
  const { text: caller, pin } = await readmeCaller();
  ({ slack, github } = await pullRequestStandIns());
  ws = await prepareWorkspace({ text: caller }, pin);
  // The pull request's branch: one commit that pins the vulnerable version in the service's requirements.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.dir, stdio: 'pipe' });
  git('checkout', '-q', '-b', 'feature');
  await appendFile(path.join(ws.dir, 'requirements.txt'), `${PIN}\n`);
  git(
    '-c',
    'user.name=pipeline-toolkit',
    '-c',
    'user.email=pipeline-toolkit@example.invalid',
    'commit',
    '-q',
    '-am',
    `Add ${pkg} for the debug console`,
  );

  ({ run } = await runPullRequest(act, ws, {
    number: 13,
    slackWebhook: `${slack.url}${slackPath}`,
    github,
    token,
    python: path.dirname(venv.bin('python')),
  }));
}, 480_000);

afterAll(async () => {
  await slack?.close();
  await github?.close();
  if (!process.env['PTK_ACT_KEEP']) {
    if (ws) await rm(path.dirname(ws.dir), { recursive: true, force: true });
  }
});

describe('the reusable workflow under act: a pull request that adds a dependency with a known HIGH vulnerability', () => {
  it('lint, build and test pass with the new dependency; the security-scan job fails; notify reports it', () => {
    for (const job of ['plan', 'lint', 'build', 'test']) expect([job, result(job)]).toEqual([job, ['success']]);
    expect(result('security-scan')).toEqual(['failure']);
    expect(result('notify')).toEqual(['success']);
    for (const job of ['deploy-config', 'deploy', 'deploy-idle', 'promote', 'smoke', 'rollback', 'record'])
      expect([job, result(job)]).toEqual([job, []]);
    expect(run.exitCode).not.toBe(0);
  });

  it('fails for the right reason: Trivy found the advisory in requirements.txt, with the database from the cache step', () => {
    const text = run.output.join('\n');
    expect(text).toMatch(/Trivy database: the cached one, downloaded .* ago/);
    const errors = ofJob('security-scan', 'error').map((e) => String(e['arg']));
    const annotation = errors.find((m) => m.startsWith(cve));
    expect(annotation).toContain(`${cve} in ${pkg}@3.0.1 (fixed in ${fixed})`);
    expect(errors.at(-1)).toMatch(
      /^Security gate failed: 1 (new )?unsuppressed finding at or above HIGH \(fail-on: high, gate-scope: (new|all)\)/,
    );
    const scan = summary('security-scan');
    expect(scan).toContain('❌ Gate: failed');
    expect(scan).toContain(`${cve} in ${pkg}@3.0.1 (fixed in ${fixed})`);
    expect(scan).toMatch(new RegExp(`\\| High \\| Trivy \\| \\[${cve}\\]`));
  });

  it('notified Slack once, red', () => {
    const posts = slack.requests.filter((r) => r.method === 'POST' && r.url === slackPath);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).not.toContain('"color":"#2EB67D"');
    expect(posts[0]!.body).toContain('example/orders-service');
  });
});
