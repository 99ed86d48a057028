import { ANNOTATIONS, type Color, type GateRecord } from './model.ts';
import { gate } from './gate.ts';
import { forgetSwitch, saveJournal, type Run } from './run.ts';
import { waitRouterEndpoints } from './wait-ready.ts';

/**
 * After the switch: waits until the router's EndpointSlices list only the new colour's ready pods
 * (endpoints lag the selector), then runs the post-switch gate against production. Returns the
 * verdict (undefined when no gate is configured); the caller rolls back on failure.
 */
export async function verify(run: Run, to: Color, port: number): Promise<GateRecord | undefined> {
  await waitRouterEndpoints(run, to);
  const url = await run.deps.productionUrl(run.spec.release, port);
  run.outcome.url = url;
  return gate(run, 'post-switch', to, url, run.deps.postSwitchGate);
}

/** Records on the router that the switch passed its gate, so no post step will undo it. */
export async function markVerified(run: Run): Promise<void> {
  await run.deps.api.patchService(run.spec.namespace, run.spec.release, { metadata: { annotations: { [ANNOTATIONS.verified]: 'true' } } });
  forgetSwitch(run);
  await saveJournal(run, {});
}
