import { InputError } from '@pipeline-toolkit/core';
import { countFindings, type SeverityCounts } from './aggregate.ts';
import { SEVERITIES, severityRank, THRESHOLDS, type Finding, type Severity, type Threshold } from './model.ts';

export interface GateResult {
  passed: boolean;
  threshold: Threshold;
  /** Unsuppressed findings at or above the threshold (with scope `new`: new ones only). */
  failing: number;
  /** Which findings can fail the gate: `all`, or `new` (absent from the baseline). */
  scope?: 'new' | 'all';
}

/** Parses a `fail-on` value; `label` names the input in the message (`Input 'fail-on'`, `--fail-on`). */
export function parseThreshold(value: string, input = 'fail-on', label = input): Threshold {
  const match = THRESHOLDS.find((t) => t === value.trim().toLowerCase());
  if (!match) throw new InputError(input, `${label} must be one of ${THRESHOLDS.join(', ')}, got '${value}'.`);
  return match;
}

/** Fails when any unsuppressed finding is at or above the threshold; `none` never fails. */
export function evaluateGate(findings: readonly Finding[], threshold: Threshold): GateResult {
  return gateOf(countFindings(findings).bySeverity, threshold);
}

/** evaluateGate from the counts of unsuppressed findings per severity. */
export function gateOf(bySeverity: SeverityCounts, threshold: Threshold): GateResult {
  if (threshold === 'none') return { passed: true, threshold, failing: 0 };
  const min = severityRank(threshold.toUpperCase() as Severity);
  const failing = SEVERITIES.filter((s) => severityRank(s) >= min).reduce((sum, s) => sum + bySeverity[s], 0);
  return { passed: failing === 0, threshold, failing };
}

/** The outputs new, fixed and unchanged: against the baseline, or (without one) every finding new. */
export function baselineCounts(result: { counts: { total: number }; baseline?: { new: number; fixed: number; unchanged: number } }): {
  new: number;
  fixed: number;
  unchanged: number;
} {
  const b = result.baseline;
  return b ? { new: b.new, fixed: b.fixed, unchanged: b.unchanged } : { new: result.counts.total, fixed: 0, unchanged: 0 };
}

/** Shown by name in the gate's message. */
const NAMED = 5;

/**
 * The failed gate's message: how many findings at or above the threshold, and with scope `new`
 * which ones (severity, rule, place: texts already redacted).
 */
export function gateMessage(result: {
  gate: GateResult;
  baseline?: { newFindings: readonly { severity: Severity; rule: string; where: string }[] };
}): string {
  const { failing, threshold, scope } = result.gate;
  const scoped = scope === 'new';
  const what = `${failing} ${scoped ? 'new ' : ''}unsuppressed finding${failing === 1 ? '' : 's'} at or above ${threshold.toUpperCase()}`;
  let names = '';
  if (scoped && threshold !== 'none') {
    const min = severityRank(threshold.toUpperCase() as Severity);
    const gating = (result.baseline?.newFindings ?? []).filter((f) => severityRank(f.severity) >= min);
    const shown = gating.slice(0, NAMED).map((f) => `${f.severity} ${f.rule}${f.where ? ` at ${f.where}` : ''}`);
    if (shown.length) names = `: ${shown.join('; ')}${failing > shown.length ? `; and ${failing - shown.length} more` : ''}`;
  }
  return `Security gate failed: ${what} (fail-on: ${threshold}${scope ? `, gate-scope: ${scope}` : ''})${names}.`;
}
