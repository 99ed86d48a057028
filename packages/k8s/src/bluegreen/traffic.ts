import type { V1Service } from '../api.ts';
import type { Color } from './model.ts';
import type { Router, RouterState, RouterWrite } from './routers/router.ts';
import { saveJournal, type Run } from './run.ts';

/**
 * Sends one router write and records it in the journal after it was accepted, so the post step and
 * the summary know which writes of the run happened (a crash between two writes leaves the list
 * at the first).
 */
export async function sendWrite(run: Run, write: RouterWrite): Promise<RouterState> {
  const state = await run.router.send(write);
  await saveJournal(run, { routerWrites: [...(run.journal.routerWrites ?? []), `${write.verb} ${write.object}: ${write.purpose}`] });
  return state;
}

/**
 * Routes traffic to `to` with ONE write to the router (409 if anyone changed it since it was
 * read). The first deploy creates the router instead. The journal records the switch before it is
 * sent, so a cancelled run's post step can undo it.
 */
export async function switchTraffic(run: Run, router: RouterState, to: Color, service: V1Service, revision: number): Promise<string> {
  const write = run.router.switchWrite(router, to, service, revision, run.spec, new Date(run.deps.clock.now()));
  await saveJournal(run, {
    switchInFlight: { to, ...(router.liveColor ? { from: router.liveColor } : {}), previousRoute: router.route },
  });
  await sendWrite(run, write);
  const route = JSON.stringify(run.router.routeTo(service));
  return write.verb === 'create'
    ? `${run.router.label} created, routing to ${to} ${route}`
    : `${run.router.label}: ${router.liveColor ?? 'nothing'} → ${to} ${route}`;
}

/**
 * Puts traffic back where it was before the last switch with ONE conditional write to the router:
 * the recorded previous route (or none, after a first deploy) and the matching state. The previous
 * colour was never scaled down before verification, so it serves at once.
 */
export function restoreTraffic(router: Router, state: RouterState, reason: string, at: Date): Promise<RouterState> {
  return router.send(router.restoreWrite(state, reason, at));
}

/** Routes the preview host to `color` (nothing without a preview host); the router's state after it. */
export async function routePreview(run: Run, state: RouterState, color: Color, service: V1Service): Promise<RouterState> {
  let current = state;
  for (const write of await run.router.previewWrites(state, color, service)) {
    const after = await sendWrite(run, write);
    // A preview in the router's own object moves its resourceVersion: the switch is conditional on the new one.
    if (write.name === run.router.config.name) current = after;
  }
  return current;
}
