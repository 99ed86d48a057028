import { formatDuration } from '@pipeline-toolkit/core';
import type { Run } from './run.ts';

/** Keeps the previous colour at full scale while connections opened before the switch finish. */
export async function drain(run: Run): Promise<string> {
  await run.deps.clock.sleep(run.spec.drainMs, run.deps.signal);
  return `kept the previous colour for ${formatDuration(run.spec.drainMs)}`;
}
