/**
 * The few GitHub REST routes the release workflow uses, over fetch (no dependency: the release
 * job runs without `npm ci`). The base URL is the runner's GITHUB_API_URL; every request has a
 * deadline, and an error names the route, the status and GitHub's message.
 */
export interface GitHub {
  request<T>(method: string, route: string, body?: unknown): Promise<{ status: number; data: T }>;
  upload<T>(url: string, name: string, bytes: Uint8Array): Promise<T>;
}

const TIMEOUT_MS = 60_000;

export function github(env: NodeJS.ProcessEnv = process.env): GitHub {
  let api = env['GITHUB_API_URL'] || 'https://api.github.com';
  while (api.endsWith('/')) api = api.slice(0, -1);
  const token = env['GITHUB_TOKEN'] ?? '';
  if (!token) throw new Error('GITHUB_TOKEN is not set: the release workflow passes the job token');
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'pipeline-toolkit-release',
  };
  const send = async (method: string, url: string, init: RequestInit, what: string) => {
    let response: Response;
    try {
      response = await fetch(url, { method, ...init, headers: { ...headers, ...init.headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      const cause =
        error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : error.message) : '';
      throw new Error(`${what}: ${cause}`, { cause: error });
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    return { status: response.status, data };
  };
  const message = (data: unknown) =>
    typeof data === 'object' && data !== null && 'message' in data ? String((data as { message: unknown }).message).slice(0, 300) : '';
  return {
    async request<T>(method: string, route: string, body?: unknown) {
      const init: RequestInit = body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
      const { status, data } = await send(method, `${api}${route}`, init, `${method} ${route}`);
      if (status >= 400 && status !== 404) throw new Error(`${method} ${route}: HTTP ${status} ${message(data)}`.trim());
      return { status, data: data as T };
    },
    async upload<T>(uploadUrl: string, name: string, bytes: Uint8Array) {
      const url = `${uploadUrl.replace(/\{[^{}]*\}$/, '')}?name=${encodeURIComponent(name)}`;
      const init: RequestInit = {
        body: bytes,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
      };
      const { status, data } = await send('POST', url, init, `upload of ${name}`);
      if (status >= 300) throw new Error(`upload of ${name}: HTTP ${status} ${message(data)}`.trim());
      return data as T;
    },
  };
}
