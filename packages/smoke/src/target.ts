import { InputError, quoteValue, stripChar } from '@pipeline-toolkit/core';
import type { Suite } from './model.ts';

export interface ResolvedTarget {
  /** Base URL of the service under test. */
  url: string;
  /** `production`, `local`, another target name, or for a bare URL the ENVIRONMENT variable (else `custom`). */
  environment: string;
  /** Mutating requests are refused against production unless allowed. */
  production: boolean;
}

/**
 * Resolves `--target`: a target name from the suite (`production`, `local` …) or an http(s) URL.
 * A URL equal to a named target takes that target's environment, so the production guard cannot be
 * side-stepped by passing the production URL directly.
 */
export function resolveTarget(suite: Suite, target: string, input = 'target', label = `Input '${input}'`): ResolvedTarget {
  const entry = suite.targets[target];
  if (entry) {
    if (!entry.url) {
      const where = entry.where ? ` (${entry.where})` : '';
      throw new InputError(input, `${label}: target '${target}' needs ${entry.missing ?? 'a URL'}${where}, which is not set.`);
    }
    return { url: entry.url, environment: target, production: target === 'production' };
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InputError(
      input,
      `${label} must be a target of ${suite.source} (${Object.keys(suite.targets).join(', ')}) or an http(s) URL, got ${quoteValue(target)}.`,
    );
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new InputError(input, `${label} must be an http:// or https:// URL, got ${quoteValue(`${url.protocol}//…`)}.`);
  }
  const same = Object.entries(suite.targets).find(([, e]) => e.url && sameBase(e.url, target));
  // Any URL on the production origin is production, whatever its path, case, trailing dot or userinfo.
  const productionUrl = suite.targets['production']?.url;
  const onProduction = productionUrl !== undefined && sameOrigin(productionUrl, target);
  const environment = onProduction ? 'production' : (same?.[0] ?? (suite.env['ENVIRONMENT'] || 'custom'));
  return { url: target, environment, production: environment === 'production' };
}

/**
 * The origin as the guard compares it: scheme, host lower-cased without a trailing dot, the port
 * with defaults dropped (WHATWG URL drops :80 and :443), no userinfo, no path.
 */
export function normalisedOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    let host = parsed.hostname.toLowerCase();
    while (host.endsWith('.')) host = host.slice(0, -1);
    return `${parsed.protocol}//${host}${parsed.port ? `:${parsed.port}` : ''}`;
  } catch {
    return undefined;
  }
}

function sameOrigin(a: string, b: string): boolean {
  const origin = normalisedOrigin(a);
  return origin !== undefined && origin === normalisedOrigin(b);
}

function sameBase(a: string, b: string): boolean {
  const normal = (u: string) => stripChar(new URL(u).href, '/', 'end');
  return normal(a) === normal(b);
}
