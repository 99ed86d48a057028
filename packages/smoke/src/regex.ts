/**
 * Regular expressions from suite files (body-matches, header-matches, regex: captures) run on
 * re2js, a pure-JavaScript port of RE2: matching is linear in the length of the text whatever the
 * pattern, so a pattern such as `(a+)+$` cannot hang a check on a hostile or huge body. RE2 has no
 * backreferences or lookaround; such patterns are refused when the suite is loaded.
 */
import type { RE2JS } from 're2js';

/** Longer patterns are refused: RE2's compiled program grows with the pattern. */
export const MAX_PATTERN_LENGTH = 1000;

export interface Regex {
  source: string;
  /** True when the pattern matches somewhere in the text. */
  test(text: string): boolean;
  /** The first group of the first match (or the whole match when the pattern has no group). */
  extract(text: string): string | undefined;
}

let engine: Promise<typeof RE2JS> | undefined;
/** re2js loads only when a suite has a pattern. */
const loadEngine = () => (engine ??= import('re2js').then((m) => m.RE2JS));

/** Compiles a pattern, or returns why it cannot be used. */
export async function compileRegex(source: string): Promise<Regex | { error: string }> {
  if (source.length > MAX_PATTERN_LENGTH) return { error: `is longer than ${MAX_PATTERN_LENGTH} characters` };
  const RE2 = await loadEngine();
  let pattern: RE2JS;
  try {
    pattern = RE2.compile(source);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return { error: `is not a supported regular expression (RE2 syntax: no backreferences or lookaround): ${message}` };
  }
  return {
    source,
    test: (text) => pattern.matcher(text).find(),
    extract: (text) => {
      const matcher = pattern.matcher(text);
      if (!matcher.find()) return undefined;
      return (pattern.groupCount() > 0 ? matcher.group(1) : matcher.group(0)) ?? undefined;
    },
  };
}

const compiledCache = new Map<string, Promise<Regex>>();

/** Compiles a pattern the loader has already validated (once per pattern). */
export function regex(source: string): Promise<Regex> {
  let compiled = compiledCache.get(source);
  if (!compiled) {
    compiled = compileRegex(source).then((result) => {
      if ('error' in result) throw new Error(`pattern ${JSON.stringify(source.slice(0, 60))} ${result.error}`);
      return result;
    });
    compiledCache.set(source, compiled);
  }
  return compiled;
}
