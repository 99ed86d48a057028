/**
 * The API server's only way out to nodes, pods and services (service/pod proxy, logs, exec): an
 * HTTP CONNECT proxy on a Unix socket in the cluster directory (see the egress selector in
 * cluster.ts). No container runs behind a kwok pod, and this machine's network reaches nothing but
 * loopback, so the proxy never dials what it is asked for: it connects only the pod addresses a
 * test has routed to a loopback server of its own, and refuses everything else with 403.
 *
 * That makes `GET /api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/…` work end to end: the API
 * server picks a ready endpoint of the Service as it would in a real cluster, and the request lands
 * on the test's server standing in for that pod.
 */
import { connect, createServer, isIP, type Server, type Socket } from 'node:net';

export interface EgressProxy {
  socketPath: string;
  /** Sends connections for podIP:port to 127.0.0.1:loopbackPort; returns a function that removes the route. */
  route(podIP: string, port: number, loopbackPort: number): () => void;
  /** Every CONNECT target asked for, routed or not (newest last). */
  requested: string[];
  close(): Promise<void>;
}

function refuse(client: Socket, status: string, reason: string): void {
  client.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

export async function startEgressProxy(socketPath: string): Promise<EgressProxy> {
  const routes = new Map<string, number>();
  const requested: string[] = [];
  const server: Server = createServer((client) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) refuse(client, '431 Request Header Fields Too Large', 'header too large');
        return;
      }
      client.off('data', onData);
      client.pause();
      const [method, target] = head.subarray(0, end).toString('latin1').split('\r\n')[0]!.split(' ');
      if (method !== 'CONNECT' || !target) return refuse(client, '405 Method Not Allowed', 'only CONNECT');
      requested.push(target);
      const port = routes.get(target);
      // The API server passes on only the status line, so it carries the reason.
      if (port === undefined) return refuse(client, `403 No route to ${target} in the test cluster`, 'no container runs behind a fake pod');
      const upstream = connect({ host: '127.0.0.1', port }, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => (client.writable ? refuse(client, '502 Bad Gateway', `loopback port ${port} refused`) : client.destroy()));
      client.on('error', () => upstream.destroy());
    };
    client.on('data', onData);
    client.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  server.unref();
  return {
    socketPath,
    requested,
    route(podIP, port, loopbackPort) {
      if (isIP(podIP) === 0) throw new Error(`route: '${podIP}' is not an IP address`);
      const key = isIP(podIP) === 6 ? `[${podIP}]:${port}` : `${podIP}:${port}`;
      routes.set(key, loopbackPort);
      return () => routes.delete(key);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
