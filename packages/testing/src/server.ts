import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a real HTTP server on 127.0.0.1 (random port) that records every request with its body. */
export async function startServer(handler: Handler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Sends a JSON answer. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * GitHub's code-scanning upload routes of `repository`, as GitHub answers them: a POST to
 * `/repos/<repository>/code-scanning/sarifs` is accepted (202 with the upload's id, `id`), and a
 * GET of `…/code-scanning/sarifs/<id>` says the file was processed (`processing_status:
 * complete`). True when it answered the request; other requests are left to the caller.
 */
export function codeScanning(request: RecordedRequest, response: ServerResponse, repository: string, id: string): boolean {
  const route = `/repos/${repository}/code-scanning/sarifs`;
  if (request.method === 'POST' && request.url === route) {
    json(response, 202, { id, url: `https://api.github.com${route}/${id}` });
    return true;
  }
  if (request.method === 'GET' && request.url === `${route}/${id}`) {
    json(response, 200, {
      processing_status: 'complete',
      analyses_url: `https://api.github.com/repos/${repository}/code-scanning/analyses?sarif_id=${id}`,
    });
    return true;
  }
  return false;
}
