import { errorMessage, InputError } from '@pipeline-toolkit/core';
import type { FailedJob, Status } from './model.ts';

/** Job results as `toJSON(needs)` gives them: `{ "<job id>": { "result": "success", "outputs": {} } }`. */
export type NeedsResults = Record<string, string>;

const RESULTS = ['success', 'failure', 'cancelled', 'skipped'];

/**
 * Reads the JSON of `toJSON(needs)`. `label` names the input in errors (`Input 'needs'` or `--needs`).
 * The value is never echoed back: it may carry job outputs.
 */
export function parseNeeds(text: string, label: string): NeedsResults {
  const expected = `${label} must be the JSON of toJSON(needs), such as {"build":{"result":"success"}}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError('needs', `${expected}: ${errorMessage(error)}.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('needs', `${expected}; got ${Array.isArray(value) ? 'an array' : typeof value}.`);
  const results: NeedsResults = {};
  for (const [job, entry] of Object.entries(value)) {
    const result = entry && typeof entry === 'object' ? (entry as { result?: unknown }).result : undefined;
    if (typeof result !== 'string' || !RESULTS.includes(result)) {
      throw new InputError('needs', `${expected}; job '${job}' has no result (expected one of ${RESULTS.join(', ')}).`);
    }
    results[job] = result;
  }
  return results;
}

/** failure if any needed job failed, else cancelled if any was cancelled, else success. */
export function statusFromNeeds(needs: NeedsResults): Status {
  const results = Object.values(needs);
  if (results.includes('failure')) return 'failure';
  if (results.includes('cancelled')) return 'cancelled';
  return 'success';
}

export function failedJobsFromNeeds(needs: NeedsResults): FailedJob[] {
  return Object.entries(needs)
    .filter(([, result]) => result === 'failure' || result === 'cancelled')
    .map(([name, conclusion]) => ({ name, conclusion }));
}
