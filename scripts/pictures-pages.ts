/**
 * The pages behind the pictures of docs/images that are not Slack messages, each built from the
 * code that produces what it shows:
 *  - a deploy's job summary (`deploySummary`) and its phase timeline (`phaseTimeline`, a Mermaid
 *    gantt chart), for an outcome of the real blue-green engine (`runDeploy`) run against the
 *    in-memory Kubernetes API of its unit tests: a second deploy whose post-switch smoke gate
 *    fails and is rolled back. The clock is simulated (API calls, Helm and the smoke gates take
 *    fixed times), so the page is the same on every machine;
 *  - the pipeline: the jobs of .github/workflows/pipeline.yml and their `needs`, as a Mermaid
 *    flowchart.
 * Markdown is rendered as GitHub renders a job summary (GFM through `marked`); Mermaid blocks are
 * left as `<pre class="mermaid">`, drawn by Mermaid in the browser when the PNG is taken.
 */
import { marked } from 'marked';
import { parse } from 'yaml';
import { deploySummary, phaseTimeline, runDeploy, type Outcome } from '@pipeline-toolkit/k8s';
import type { DeploySpec, Gate } from '../packages/k8s/src/bluegreen/model.ts';
import { engineDeps, FakeCluster } from '../packages/k8s/test/fake-cluster.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{margin:0;padding:24px;background:#fff;color:#1f2328;font:14px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;width:860px}
.box{border:1px solid #d1d9e0;border-radius:6px;padding:16px 24px}.box>.title{font-weight:600;margin:-16px -24px 16px;padding:12px 24px;border-bottom:1px solid #d1d9e0;background:#f6f8fa;border-radius:6px 6px 0 0}
h2{font-size:1.5em;border-bottom:1px solid #d1d9e0;padding-bottom:.3em;margin:8px 0 16px}h3{font-size:1.25em;margin:24px 0 12px}
table{border-collapse:collapse;margin:0 0 16px}th,td{border:1px solid #d1d9e0;padding:6px 13px}th{font-weight:600}tr:nth-child(2n){background:#f6f8fa}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eff1f3;border-radius:6px;padding:.2em .4em}a{color:#0969da;text-decoration:none}
pre.mermaid{background:#fff;margin:0 0 16px;text-align:center}details{margin:0 0 16px}`;

/** Markdown as GitHub shows it in a job summary, in a box titled like the job. */
export function summaryPage(title: string, markdown: string): string {
  const body = (marked.parse(markdown, { gfm: true, async: false }) as string).replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_, code: string) => `<pre class="mermaid">${code}</pre>`,
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><div class="box"><div class="title">${escapeHtml(title)}</div>
${body}</div></body></html>
`;
}

/** Fixed simulated durations: each API call, each Helm command, and the two smoke gates. */
const API_MS = 40;
const HELM_MS = 1_500;

/**
 * A second deploy of acme/shop's `web` release: blue is live, green is deployed and passes the
 * pre-switch gate, traffic switches, the post-switch gate fails, and traffic goes back to blue.
 */
export async function rolledBackDeploy(): Promise<Outcome> {
  const cluster = new FakeCluster();
  const spec = (tag: string, runId: string): DeploySpec => ({
    namespace: 'shop',
    release: 'web',
    chart: './charts/web',
    valuesFiles: [],
    set: [],
    image: 'ghcr.io/acme/web',
    tag,
    timeoutMs: 300_000,
    drainMs: 10_000,
    keepPrevious: 'running',
    lockTimeoutMs: 0,
    runId,
    runUrl: `https://github.com/acme/shop/actions/runs/${runId.split('#')[1]}`,
  });
  const { deps } = engineDeps(cluster, { productionUrl: () => 'https://shop.example.com' });
  const clock = deps.clock;
  const slow = <T extends object>(target: T, ms: number): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await clock.sleep(ms);
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  const gate =
    (ms: number, passed: boolean, summary: string): Gate =>
    async () => {
      await clock.sleep(ms);
      return { passed, summary };
    };
  const pass = gate(5_300, true, '4/4 checks passed');
  const first = await runDeploy(spec('1.4.0', 'acme/shop#41'), { ...deps, preSwitchGate: pass, postSwitchGate: pass }, 'full');
  if (first.result !== 'deployed') throw new Error(`the first deploy of the picture ended ${first.result}: ${first.error}`);
  const outcome = await runDeploy(
    spec('1.5.0', 'acme/shop#42'),
    {
      ...deps,
      api: slow(deps.api, API_MS),
      helm: slow(deps.helm, HELM_MS),
      preSwitchGate: pass,
      postSwitchGate: gate(7_900, false, '1/4 checks failed: POST /api/orders → 500'),
    },
    'full',
  );
  if (outcome.result !== 'rolled-back') throw new Error(`the deploy of the picture ended ${outcome.result}, not rolled-back`);
  return outcome;
}

export async function deployPages(): Promise<{ 'job-summary': string; 'deploy-timeline': string }> {
  const outcome = await rolledBackDeploy();
  return {
    'job-summary': summaryPage('deploy summary', deploySummary(outcome, 'web', 'shop')),
    'deploy-timeline': summaryPage('deploy summary: the phase timeline', phaseTimeline(outcome.phases)),
  };
}

interface Workflow {
  jobs: Record<string, { name?: string; needs?: string | string[] }>;
}

/**
 * The jobs of a workflow and their `needs` as a Mermaid flowchart, in the file's order. An edge
 * a → b is left out when b also waits for a through another of its needs (transitive reduction),
 * so the order reads without the edges of a job that waits for everything.
 */
export function pipelineGraph(workflowYaml: string): string {
  const { jobs } = parse(workflowYaml) as Workflow;
  const needs = (id: string) => [jobs[id]?.needs ?? []].flat();
  const reaches = (from: string, to: string): boolean => needs(to).some((n) => n === from || reaches(from, n));
  const node = (id: string) => id.replace(/[^A-Za-z0-9]/g, '_');
  const lines = ['flowchart LR'];
  for (const [id, job] of Object.entries(jobs)) lines.push(`  ${node(id)}["${(job.name ?? id).replace(/"/g, "'")}"]`);
  for (const id of Object.keys(jobs)) {
    for (const need of needs(id)) {
      if (needs(id).some((other) => other !== need && reaches(need, other))) continue;
      lines.push(`  ${node(need)} --> ${node(id)}`);
    }
  }
  return ['```mermaid', ...lines, '```', ''].join('\n');
}

export function pipelinePage(workflowYaml: string): string {
  return summaryPage('.github/workflows/pipeline.yml: the jobs and what each waits for', pipelineGraph(workflowYaml));
}
