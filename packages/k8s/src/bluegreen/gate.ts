import { CancelledError, type Color, type Gate, type GateRecord, type GateRequest } from './model.ts';
import { skipped, untilCancelled, type Run } from './run.ts';

/**
 * Runs a smoke gate and records its verdict. A gate that throws counts as failed (a broken gate must
 * never let a deploy through). Returns undefined when no gate is configured for this phase.
 */
export async function gate(
  run: Run,
  which: GateRequest['phase'],
  color: Color,
  url: string,
  check: Gate | undefined,
): Promise<GateRecord | undefined> {
  if (!check) {
    skipped(run, `${which} gate`, 'no smoke suite configured');
    return undefined;
  }
  let record: GateRecord;
  try {
    record = { phase: which, color, url, ...(await untilCancelled(run, check({ phase: which, color, url }, run.deps.signal))) };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    record = {
      phase: which,
      color,
      url,
      passed: false,
      summary: `the smoke gate could not run: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  run.outcome.gates.push(record);
  return record;
}
