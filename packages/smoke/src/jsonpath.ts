/**
 * A small, strict JSONPath subset for assertions and captures: `$`, `.name`, `['name']`,
 * `[index]` (negative from the end) and the wildcards `.*` / `[*]`. No filters, no scripts, no
 * recursive descent: a path is parsed by one regular expression per segment and evaluated by a
 * loop, so nothing in a suite file is ever evaluated as code.
 */

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\[(['"])(.*?)\3\]|\.\*|\[\*\])/;

/** A name, an index, or `*` (every element or member). */
export type Segment = string | number | typeof WILDCARD;
export const WILDCARD: unique symbol = Symbol('*');

export function parseJsonPath(path: string): Segment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest) {
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(match[4] ?? '');
    else segments.push(WILDCARD);
    rest = rest.slice(match[0].length);
  }
  return segments;
}

export const hasWildcard = (segments: readonly Segment[]): boolean => segments.includes(WILDCARD);

export type Selection = { found: true; value: unknown } | { found: false };

/** The one value a path without wildcards points at. */
export function select(document: unknown, segments: readonly Segment[]): Selection {
  const values = selectAll(document, segments);
  return values.length === 1 && !hasWildcard(segments) ? { found: true, value: values[0] } : { found: false };
}

/** Every value a path points at (none, one, or many through wildcards), in document order. */
export function selectAll(document: unknown, segments: readonly Segment[]): unknown[] {
  let current: unknown[] = [document];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of current) step(node, segment, next);
    current = next;
  }
  return current;
}

function step(node: unknown, segment: Segment, into: unknown[]): void {
  if (segment === WILDCARD) {
    if (Array.isArray(node)) into.push(...node);
    else if (node && typeof node === 'object') into.push(...Object.values(node));
    return;
  }
  if (typeof segment === 'number') {
    if (!Array.isArray(node)) return;
    const index = segment < 0 ? node.length + segment : segment;
    if (index >= 0 && index < node.length) into.push(node[index]);
    return;
  }
  if (node && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, segment)) {
    into.push((node as Record<string, unknown>)[segment]);
  }
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
