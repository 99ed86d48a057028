/**
 * Loopback stand-ins that speak the real protocols, for unit and bundle tests (real HTTP, no
 * request mocking): a Slack incoming webhook and the GitHub REST routes the notifier uses.
 */
import { json, startServer, type LoopbackServer, type RecordedRequest } from '@pipeline-toolkit/testing';

/** Slack's documented webhook errors, by HTTP status. */
export const SLACK_ERRORS = {
  invalid_payload: 400,
  no_text: 400,
  action_prohibited: 403,
  channel_not_found: 404,
  no_service: 404,
  channel_is_archived: 410,
} as const;

export interface SlackStandIn extends LoopbackServer {
  /** A webhook URL whose last path segment picks the behaviour (see below). */
  webhook(scenario: string): string;
  /** Messages Slack accepted (answered 200 ok). */
  accepted(): RecordedRequest[];
  /** Requests that reached one scenario's webhook. */
  hits(scenario: string): RecordedRequest[];
}

/**
 * Scenarios (last segment of /services/T0TEST/B0TEST/<scenario>):
 *  ok                  validates the body as Slack does (JSON, some text) and answers 200 `ok`
 *  <slack error code>  answers that error with its status (channel_not_found → 404 …)
 *  ratelimit-seconds   first request 429 `Retry-After: 1`, then as ok
 *  ratelimit-date      first request 429 with Retry-After as an HTTP date 1 s ahead, then as ok
 *  ratelimit-always    always 429 `Retry-After: 1`
 *  error500-once       first request 500, then as ok
 *  error503-always     always 503
 *  slow-<ms>           answers ok after <ms> milliseconds
 */
export async function startSlack(): Promise<SlackStandIn> {
  const counts = new Map<string, number>();
  const accepted: RecordedRequest[] = [];
  const server = await startServer(async (req, res) => {
    const scenario = req.url.split('/').pop() ?? '';
    const count = (counts.get(scenario) ?? 0) + 1;
    counts.set(scenario, count);
    const text = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html', ...headers });
      res.end(body);
    };
    const ok = () => {
      let payload: { text?: unknown; blocks?: unknown; attachments?: unknown };
      try {
        payload = JSON.parse(req.body) as typeof payload;
      } catch {
        return text(400, 'invalid_payload');
      }
      if (!payload.text && !payload.blocks && !payload.attachments) return text(400, 'no_text');
      accepted.push(req);
      text(200, 'ok');
    };
    if (req.method !== 'POST') return text(405, 'invalid_method');
    if (scenario in SLACK_ERRORS) return text(SLACK_ERRORS[scenario as keyof typeof SLACK_ERRORS], scenario);
    if (scenario === 'ratelimit-seconds' && count === 1) return text(429, 'rate_limited', { 'retry-after': '1' });
    if (scenario === 'ratelimit-date' && count === 1) {
      return text(429, 'rate_limited', { 'retry-after': new Date(Date.now() + 1000).toUTCString() });
    }
    if (scenario === 'ratelimit-always') return text(429, 'rate_limited', { 'retry-after': '1' });
    if (scenario === 'error500-once' && count === 1) return text(500, 'internal_error');
    if (scenario === 'error503-always') return text(503, 'service_unavailable');
    const slow = /^slow-(\d+)$/.exec(scenario);
    if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1])));
    ok();
  });
  return {
    ...server,
    webhook: (scenario) => `${server.url}/services/T0TEST/B0TEST/${scenario}`,
    accepted: () => accepted,
    hits: (scenario) => server.requests.filter((r) => r.url.endsWith(`/${scenario}`)),
  };
}

export interface ApiJobFixture {
  id: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  html_url: string;
  steps: { name: string; status: string; conclusion: string | null; number: number }[];
}

const step = (number: number, name: string, conclusion: string | null) => ({
  name,
  number,
  status: conclusion ? 'completed' : 'in_progress',
  conclusion,
});
const job = (
  id: number,
  name: string,
  status: ApiJobFixture['status'],
  conclusion: string | null,
  steps: ApiJobFixture['steps'],
): ApiJobFixture => ({
  id,
  name,
  status,
  conclusion,
  html_url: `https://github.com/acme/shop/actions/runs/9876543210/job/${id}`,
  steps,
});

/** The jobs of a run as the API lists them: matrix legs by their API names, the notifying job still running. */
export function runJobs(): ApiJobFixture[] {
  const passed = (id: number, name: string) =>
    job(id, name, 'completed', 'success', [step(1, 'Set up job', 'success'), step(2, 'Run tests', 'success')]);
  return [
    passed(1, 'lint'),
    passed(2, 'test (ubuntu-latest, 22)'),
    job(3, 'test (ubuntu-latest, 24)', 'completed', 'failure', [
      step(1, 'Set up job', 'success'),
      step(2, 'Install', 'success'),
      step(3, 'Run tests', 'failure'),
      step(4, 'Upload coverage', 'skipped'),
    ]),
    passed(4, 'test (windows-latest, 22)'),
    job(5, 'deploy / blue-green', 'completed', 'cancelled', [step(1, 'Set up job', 'success'), step(2, 'Wait for rollout', 'cancelled')]),
    job(6, 'e2e', 'completed', 'timed_out', [step(1, 'Set up job', 'success'), step(2, 'Run e2e', 'cancelled')]),
    job(7, 'notify', 'in_progress', null, [step(1, 'Set up job', 'success'), step(2, 'Notify', null)]),
  ];
}

export interface RunFixture {
  id: number;
  run_number: number;
  workflow_id: number;
  head_branch: string;
  conclusion: string | null;
}

export interface GitHubStandIn extends LoopbackServer {
  token: string;
}

/**
 * The GitHub REST routes the notifier reads, with GitHub's pagination (Link headers, absolute
 * URLs) and authentication (401 Bad credentials without the token).
 */
export async function startGitHub(
  options: { jobs?: ApiJobFixture[]; pageSize?: number; runs?: RunFixture[]; token?: string; environments?: Record<string, unknown> } = {},
): Promise<GitHubStandIn> {
  const token = options.token ?? 'ghs_loopbackTokenForTests000000000000000';
  const jobs = options.jobs ?? runJobs();
  const pageSize = options.pageSize ?? 3;
  const runs = options.runs ?? [];
  let base = '';
  const server = await startServer((req, res) => {
    if (req.headers.authorization !== `token ${token}`) return json(res, 401, { message: 'Bad credentials', status: '401' });
    const url = new URL(req.url, base);
    const jobsRoute = /^\/repos\/acme\/shop\/actions\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/.exec(url.pathname);
    if (jobsRoute) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const last = Math.max(1, Math.ceil(jobs.length / pageSize));
      const link = (p: number, rel: string) =>
        `<${base}${url.pathname}?per_page=${url.searchParams.get('per_page') ?? 30}&page=${p}>; rel="${rel}"`;
      const links = [
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
      ];
      return json(
        res,
        200,
        { total_count: jobs.length, jobs: jobs.slice((page - 1) * pageSize, page * pageSize) },
        links.length ? { link: links.join(', ') } : {},
      );
    }
    const environment = /^\/repos\/acme\/shop\/environments\/([^/]+)$/.exec(url.pathname);
    if (environment) {
      const answer = options.environments?.[decodeURIComponent(environment[1]!)];
      return answer ? json(res, 200, answer) : json(res, 404, { message: 'Not Found', status: '404' });
    }
    const runRoute = /^\/repos\/acme\/shop\/actions\/runs\/(\d+)$/.exec(url.pathname);
    const run = runRoute && runs.find((r) => r.id === Number(runRoute[1]));
    if (run) return json(res, 200, run);
    const workflowRuns = /^\/repos\/acme\/shop\/actions\/workflows\/(\d+)\/runs$/.exec(url.pathname);
    if (workflowRuns) {
      const branch = url.searchParams.get('branch');
      const completed = url.searchParams.get('status') === 'completed';
      const list = runs
        .filter(
          (r) =>
            r.workflow_id === Number(workflowRuns[1]) && (!branch || r.head_branch === branch) && (!completed || r.conclusion !== null),
        )
        .sort((a, b) => b.run_number - a.run_number);
      return json(res, 200, { total_count: list.length, workflow_runs: list });
    }
    json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  base = server.url;
  return { ...server, token };
}

/** The current run (id 9876543210, #42 on main) and earlier completed runs of the same workflow. */
export function runHistory(previous: string | null): RunFixture[] {
  const current: RunFixture = { id: 9876543210, run_number: 42, workflow_id: 7, head_branch: 'main', conclusion: null };
  const others: RunFixture[] = [
    { id: 9876543000, run_number: 40, workflow_id: 7, head_branch: 'main', conclusion: 'failure' },
    { id: 9876543100, run_number: 41, workflow_id: 7, head_branch: 'main', conclusion: previous },
    { id: 9876543150, run_number: 43, workflow_id: 7, head_branch: 'feature', conclusion: 'success' },
    { id: 9876543200, run_number: 39, workflow_id: 8, head_branch: 'main', conclusion: 'success' },
  ];
  return [current, ...others];
}
