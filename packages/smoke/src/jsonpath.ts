/**
 * A small JSONPath subset for assertions: `$`, `.name`, `['name']`, `[index]` (negative from the end).
 * Enough to point at one value; no filters or wildcards.
 */

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\[(['"])(.*?)\3\])/;

export function parseJsonPath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest) {
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[4] ?? '');
    rest = rest.slice(match[0].length);
  }
  return segments;
}

export type Selection = { found: true; value: unknown } | { found: false };

export function select(document: unknown, segments: readonly (string | number)[]): Selection {
  let current: unknown = document;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return { found: false };
      const index = segment < 0 ? current.length + segment : segment;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else {
      if (!current || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) return { found: false };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}

/**
 * Compares a selected value with the expected one from the suite. Text from the suite matches a
 * number or boolean with the same text, because `${VAR}` interpolation always yields text.
 */
export function matches(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) return String(actual) === expected;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matches(actual[i], item));
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    return (
      Object.keys(e).length === Object.keys(a).length && Object.keys(e).every((key) => Object.hasOwn(a, key) && matches(a[key], e[key]))
    );
  }
  return Object.is(actual, expected);
}
