import { InputError } from '@pipeline-toolkit/core';
import { countFindings, type SeverityCounts } from './aggregate.ts';
import { SEVERITIES, severityRank, THRESHOLDS, type Finding, type Severity, type Threshold } from './model.ts';

export interface GateResult {
  passed: boolean;
  threshold: Threshold;
  /** Unsuppressed findings at or above the threshold. */
  failing: number;
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
