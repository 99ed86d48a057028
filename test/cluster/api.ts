/**
 * A minimal HTTPS client for the test cluster's API server (bearer token, the cluster's own CA),
 * so that harness and proof tests need neither kubectl nor a Kubernetes client library.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface Connection {
  /** https://127.0.0.1:<port> */
  server: string;
  token: string;
  /** PEM of the CA that signed the API server's certificate. */
  ca: string;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Defaults to application/json; merge patches use application/merge-patch+json. */
  contentType?: string;
  /** For a component's own self-signed health endpoint on loopback. */
  insecure?: boolean;
  ca?: string;
  token?: string;
  timeoutMs?: number;
}

/** One HTTP(S) request; the body is parsed as JSON when it is JSON. Never throws on a status code. */
export function rawRequest(url: string, method: string, payload?: unknown, opts: RequestOptions = {}): Promise<ApiResponse> {
  const target = new URL(url);
  const data = payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  if (data !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(data));
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method, headers, ca: opts.ca, rejectUnauthorized: !opts.insecure, timeout: opts.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json')) {
            try {
              body = JSON.parse(text);
            } catch {
              /* keep the text */
            }
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** A request to the API server as the given identity: `api(conn, 'GET', '/api/v1/nodes')`. */
export function api<T = unknown>(
  conn: Connection,
  method: string,
  apiPath: string,
  payload?: unknown,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  return rawRequest(conn.server + apiPath, method, payload, { ca: conn.ca, token: conn.token, ...opts }) as Promise<ApiResponse<T>>;
}

/** Polls until check() returns a value other than undefined, or fails with the last observation. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
