import type { Color, GateRecord } from './model.ts';
import { gate } from './gate.ts';
import { sendWrite } from './traffic.ts';
import { forgetSwitch, saveJournal, type Run } from './run.ts';
import { waitRouted, type ReadyColor } from './wait-ready.ts';

/**
 * After the switch: waits until the router routes only to the new colour's ready pods (for the
 * Service router, its EndpointSlices lag the selector), then runs the post-switch gate against
 * production. Returns the verdict (undefined when no gate is configured); the caller rolls back on failure.
 */
export async function verify(run: Run, to: Color, ready: ReadyColor): Promise<GateRecord | undefined> {
  await waitRouted(run, ready);
  const entry = run.router.productionService(ready);
  const url = await run.deps.productionUrl(entry.name, entry.port);
  run.outcome.url = url;
  return gate(run, 'post-switch', to, url, run.deps.postSwitchGate);
}

/** Records on the router that the switch passed its gate, so no post step will undo it. */
export async function markVerified(run: Run): Promise<void> {
  await sendWrite(run, run.router.verifiedWrite(await run.router.read()));
  forgetSwitch(run);
  await saveJournal(run, {});
}
