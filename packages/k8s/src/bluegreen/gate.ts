import type { Color, Gate, GateRecord, GateRequest } from './model.ts';
import { skipped, type Run } from './run.ts';

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
    record = { phase: which, color, url, ...(await check({ phase: which, color, url }, run.deps.signal)) };
  } catch (error) {
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
