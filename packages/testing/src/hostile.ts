import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Servers that misbehave on purpose, on 127.0.0.1: `silent` accepts connections and reads the
 * request but never answers; `trickle` answers 200 with headers at once, then one byte of body
 * every `intervalMs`, never ending. Every request seen is counted. Both close every socket on close().
 */
export interface HostileServer {
  url: string;
  port: number;
  /** Requests whose head arrived (method and path), in order. */
  requests: string[];
  /** Connections the clients still hold open (a client that really aborts closes its socket). */
  openConnections(): number;
  /** Resolves once no connection is open, or after `limitMs` (then openConnections() tells). */
  allClosed(limitMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function hostileServer(
  kind: 'silent' | 'trickle',
  options: { intervalMs?: number; contentType?: string } = {},
): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      answered = true;
      requests.push(head.slice(0, head.indexOf('\r\n')));
      if (kind === 'silent') return;
      socket.write(
        `HTTP/1.1 200 OK\r\ncontent-type: ${options.contentType ?? 'application/json'}\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\n`,
      );
      const timer = setInterval(() => socket.write('1\r\n \r\n'), options.intervalMs ?? 100);
      timers.add(timer);
      socket.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    openConnections: () => sockets.size,
    allClosed: (limitMs) =>
      new Promise<void>((resolve) => {
        const started = Date.now();
        const check = () => (sockets.size === 0 || Date.now() - started >= limitMs ? resolve() : setTimeout(check, 20));
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Strings that try to make the runner execute a workflow command or fake log output. */
export const INJECTION_STRINGS: readonly string[] = [
  'ok\n::error title=x::owned',
  '::error title=x::owned',
  '  ::warning::indented',
  'a\r::set-output name=x::y',
  '##[error]legacy command',
  'x\r\n::add-mask::visible',
  '::stop-commands::token',
  'esc \u001b[31mred\u001b[0m bell\u0007 nul\u0000 bidi\u202etxt',
];
