import { errorMessage, readTextFile, refusalText, type Logger } from '@pipeline-toolkit/core';

/** The largest smoke-test result read: a summary and one line per check, far below it. */
const MAX_RESULT_BYTES = 16 * 1024 * 1024;
import type { SmokeSummary } from './model.ts';

/**
 * Reads the smoke-test JSON result (written by the smoke-test action):
 * `{ summary: { passed, failed, flaky, skipped }, checks: [{ name, tags, status }] }`.
 *
 * Tolerant by design: the notification must still go out when the smoke step did not run (no
 * file) or wrote something unexpected, so problems become a warning and `undefined`, never an
 * error. Counts missing from `summary` are counted from `checks`.
 */
export async function readSmokeReport(file: string, log: Logger): Promise<SmokeSummary | undefined> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_RESULT_BYTES, (refusal) => {
      throw new Error(refusalText(refusal, 'a smoke-test result'));
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    if (code === 'ENOENT') log.info(`No smoke-test result at ${file}; the message will not include smoke results.`);
    else log.warning(`Could not read the smoke-test result ${file} (${code}); the message will not include smoke results.`);
    return undefined;
  }
  try {
    return summariseSmoke(JSON.parse(text));
  } catch (error) {
    log.warning(`Ignoring the smoke-test result ${file}: ${errorMessage(error)}`);
    return undefined;
  }
}

const STATUSES = ['passed', 'failed', 'flaky', 'skipped'] as const;

export function summariseSmoke(value: unknown): SmokeSummary {
  if (!value || typeof value !== 'object') throw new Error('expected a JSON object with summary and checks');
  const { summary, checks } = value as { summary?: unknown; checks?: unknown };
  const list = Array.isArray(checks) ? checks.filter((c): c is Record<string, unknown> => !!c && typeof c === 'object') : [];
  if (!summary && !list.length) throw new Error('expected a JSON object with summary and checks');

  const counted = Object.fromEntries(STATUSES.map((s) => [s, list.filter((c) => c['status'] === s).length])) as Record<
    (typeof STATUSES)[number],
    number
  >;
  const given = summary && typeof summary === 'object' ? (summary as Record<string, unknown>) : {};
  const count = (name: (typeof STATUSES)[number]) => {
    const n = given[name];
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : counted[name];
  };
  const failedCritical = list
    .filter((c) => c['status'] === 'failed' && Array.isArray(c['tags']) && c['tags'].includes('critical'))
    .map((c) => (typeof c['name'] === 'string' && c['name'] ? c['name'] : '(unnamed check)'));
  return { passed: count('passed'), failed: count('failed'), flaky: count('flaky'), skipped: count('skipped'), failedCritical };
}
