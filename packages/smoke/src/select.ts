import { InputError } from '@pipeline-toolkit/core';
import type { Check } from './model.ts';

/**
 * Tag selection: a check runs when it has any of the wanted tags (none given: all checks) and none
 * of the excluded ones (`!flaky`).
 */
export function selectChecks(checks: readonly Check[], tags: readonly string[], input = 'tags'): Check[] {
  const wanted = tags.filter((t) => !t.startsWith('!'));
  const excluded = tags.filter((t) => t.startsWith('!')).map((t) => t.slice(1));
  const selected = checks.filter(
    (c) => (!wanted.length || c.tags.some((t) => wanted.includes(t))) && !c.tags.some((t) => excluded.includes(t)),
  );
  if (!selected.length) {
    const known = [...new Set(checks.flatMap((c) => c.tags))].sort();
    throw new InputError(input, `No check matches the tags '${tags.join(', ')}'. Tags in the suite: ${known.join(', ') || 'none'}.`);
  }
  return selected;
}
