import type { Color, GateRecord } from './model.ts';
import { verifiedPatch } from './modes.ts';
import { gate } from './gate.ts';
import { forgetSwitch, saveJournal, type Run } from './run.ts';
import { waitRouterEndpoints, type ReadyColor } from './wait-ready.ts';
import { servicePort } from './run.ts';

/**
 * After the switch: waits until the router's EndpointSlices list only the new colour's ready pods
 * (endpoints lag the selector), then runs the post-switch gate against production. Returns the
 * verdict (undefined when no gate is configured); the caller rolls back on failure.
 */
export async function verify(run: Run, to: Color, ready: ReadyColor): Promise<GateRecord | undefined> {
  await waitRouterEndpoints(run, ready);
  const url = await run.deps.productionUrl(run.spec.release, servicePort(ready.service));
  run.outcome.url = url;
  return gate(run, 'post-switch', to, url, run.deps.postSwitchGate);
}

/** Records on the router that the switch passed its gate, so no post step will undo it. */
export async function markVerified(run: Run): Promise<void> {
  await run.deps.api.patchService(run.spec.namespace, run.spec.release, verifiedPatch());
  forgetSwitch(run);
  await saveJournal(run, {});
}
