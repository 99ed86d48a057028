import { connect } from 'node:net';
import type { TcpSpec } from '../model.ts';
import { describeError, fail, isTransientError, pass, type Outcome } from '../outcome.ts';
import type { CheckContext } from './context.ts';

/** Opens a TCP connection and closes it: the port accepts connections. */
export async function runTcp(spec: TcpSpec, ctx: CheckContext): Promise<Outcome> {
  const started = performance.now();
  return new Promise<Outcome>((resolve) => {
    const socket = connect({ host: spec.host, port: spec.port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(fail(`${spec.host}:${spec.port}: connection timed out after ${ctx.timeoutMs}ms`, { transient: true }));
    }, ctx.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      const latencyMs = Math.round(performance.now() - started);
      socket.end();
      socket.destroy();
      resolve(pass({ latencyMs }));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(fail(`${spec.host}:${spec.port}: ${describeError(error)}`, { transient: isTransientError(error) }));
    });
  });
}
