/**
 * Captures: an http check's `capture: { token: "$.token" }` takes a value from its answer (a
 * JSONPath of the body, `header:<Name>`, or `regex:<pattern>`'s first group), and later checks use
 * it as `${captures.token}` in their request. The loader checks that every capture used is made by
 * a check and that no capture depends on itself; the runner starts a check once the checks it
 * needs have finished, and registers every captured value as a secret before anything can print it.
 */
import type { Check, HttpSpec } from './model.ts';
import { CAPTURE_REFERENCE } from './interpolate.ts';
import { parseJsonPath, select } from './jsonpath.ts';
import { regex } from './regex.ts';

/** The regular expressions of a check, with the field they come from (for the loader's errors). */
export function patternsOf(check: Check): { field: string; path: string[]; pattern: string }[] {
  if (check.kind !== 'http') return [];
  const { expect, capture } = check.http;
  const at = (path: string[], pattern: string) => ({ field: path.join('.'), path, pattern });
  return [
    ...(expect.bodyMatches ?? []).map((pattern) => at(['expect', 'body-matches'], pattern)),
    ...Object.entries(expect.headerMatches ?? {}).map(([name, pattern]) => at(['expect', 'header-matches', name], pattern)),
    ...(expect.jsonpath ?? []).flatMap((a) => (a.matches !== undefined ? [at(['expect', 'jsonpath', a.path, 'matches'], a.matches)] : [])),
    ...Object.entries(capture ?? {}).flatMap(([name, source]) => (source.from === 'regex' ? [at(['capture', name], source.pattern)] : [])),
  ];
}

/** Capture name → the check that makes it. */
export function producers(checks: readonly Check[]): Map<string, Check> {
  const made = new Map<string, Check>();
  for (const check of checks) if (check.kind === 'http') for (const name of Object.keys(check.http.capture ?? {})) made.set(name, check);
  return made;
}

/** The checks a check must wait for: the makers of the captures it uses. */
export function dependenciesOf(check: Check, made: ReadonlyMap<string, Check>): Check[] {
  return [...new Set((check.uses ?? []).map((name) => made.get(name)).filter((c): c is Check => c !== undefined))];
}

/** Config errors: a capture that no check makes, and captures that depend on each other in a cycle. */
export function checkCaptureOrder(checks: readonly Check[]): string[] {
  const made = producers(checks);
  const problems: string[] = [];
  const known = [...made.keys()];
  for (const check of checks) {
    for (const name of check.uses ?? []) {
      if (!made.has(name)) {
        const list = known.length ? `captured: ${known.join(', ')}` : 'no check has a capture block';
        problems.push(`${check.where ?? 'suite'}: check '${check.name}' uses \${captures.${name}}, which no check captures (${list})`);
      }
    }
  }
  if (problems.length) return problems;
  // Depth-first search for a cycle; the first one found is reported with every check on it.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (check: Check, path: Check[]): string | undefined => {
    if (state.get(check.name) === 'done') return undefined;
    if (state.get(check.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(check)), check].map((c) => `'${c.name}'`);
      return `${check.where ?? 'suite'}: check '${check.name}' depends on its own captures through ${cycle.join(' → ')}; a check can use only captures of checks that do not need its own`;
    }
    state.set(check.name, 'visiting');
    for (const dependency of dependenciesOf(check, made)) {
      const found = visit(dependency, [...path, check]);
      if (found) return found;
    }
    state.set(check.name, 'done');
    return undefined;
  };
  for (const check of checks) {
    const found = visit(check, []);
    if (found) return [found];
  }
  return [];
}

/** What a capture reads from: the answer of the check that makes it. */
export interface CaptureInput {
  headers: Headers;
  body: string;
}

/** The values of a check's captures, or the name of the first one that found nothing. */
export async function extractCaptures(
  spec: HttpSpec,
  answer: CaptureInput,
): Promise<{ values: Record<string, string> } | { missing: string; why: string }> {
  const values: Record<string, string> = {};
  let document: unknown;
  let parsed = false;
  for (const [name, source] of Object.entries(spec.capture ?? {})) {
    let value: string | undefined;
    let why: string;
    if (source.from === 'header') {
      value = answer.headers.get(source.name) ?? undefined;
      why = `the answer has no ${source.name} header`;
    } else if (source.from === 'regex') {
      value = (await regex(source.pattern)).extract(answer.body);
      why = 'the pattern does not match the body';
    } else {
      if (!parsed) {
        parsed = true;
        try {
          document = JSON.parse(answer.body);
        } catch {
          return { missing: name, why: 'the body is not JSON' };
        }
      }
      const selection = select(document, parseJsonPath(source.path) ?? []);
      value = !selection.found || selection.value === null ? undefined : textOf(selection.value);
      why = `${source.path} is not in the JSON body`;
    }
    if (value === undefined || value === '') return { missing: name, why: value === '' ? 'the value is empty' : why };
    values[name] = value;
  }
  return { values };
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Control characters a header value cannot carry (and that would split it). */
// eslint-disable-next-line no-control-regex
const HEADER_UNSAFE = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/**
 * The request with `${captures.NAME}` filled in: percent-encoded in the path and URL, JSON-escaped
 * in a body written as YAML data, as it is in headers and a text body. A value that a header cannot
 * carry is an error naming the capture and the header, never the value.
 */
export function withCaptures(spec: HttpSpec, values: Readonly<Record<string, string>>): HttpSpec | { error: string } {
  const fill = (text: string, encode: (value: string) => string) =>
    text.replace(CAPTURE_REFERENCE, (_m, name: string) => encode(values[name] ?? ''));
  const headers: Record<string, string> = {};
  for (const [header, template] of Object.entries(spec.headers)) {
    for (const [, name] of template.matchAll(CAPTURE_REFERENCE)) {
      if (HEADER_UNSAFE.test(values[name as string] ?? ''))
        return { error: `captured value '${name}' contains control characters and cannot be sent in the ${header} header` };
    }
    headers[header] = fill(template, (v) => v);
  }
  const jsonText = (v: string) => JSON.stringify(v).slice(1, -1);
  return {
    ...spec,
    ...(spec.path !== undefined ? { path: fill(spec.path, encodeURIComponent) } : {}),
    ...(spec.url !== undefined ? { url: fill(spec.url, encodeURIComponent) } : {}),
    headers,
    ...(spec.body !== undefined ? { body: fill(spec.body, spec.bodyIsJson ? jsonText : (v) => v) } : {}),
  };
}
