/**
 * Redaction: secrets registered at run time (masked in the runner log with ::add-mask::) and
 * secret-like patterns are replaced in any text before it reaches a log, an output, a summary,
 * an artifact or a message.
 */

export const REDACTED = '***';

/**
 * A pattern, or a pattern whose first group is a prefix kept in the text (`Authorization: Bearer `)
 * with a cheap test that a text must pass for it to possibly match. The prefix is matched, not
 * looked behind: a lookbehind is tried at every position and re-reads the white space before it,
 * which is quadratic on a long run of spaces.
 */
type SecretPattern = RegExp | { pattern: RegExp; mayMatch: (text: string) => boolean };

const SECRET_PATTERNS: readonly SecretPattern[] = [
  // Slack incoming webhooks and tokens
  /https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  // GitHub tokens (classic, fine-grained, app, OAuth, refresh)
  /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g,
  // AWS access key ids and secret keys given as assignments
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
  { pattern: /(aws_secret_access_key\s*[=:]\s*["']?)[A-Za-z0-9/+=]{40}/gi, mayMatch: (text) => /aws_secret/i.test(text) },
  // EKS bearer tokens and JWTs
  /\bk8s-aws-v1\.[A-Za-z0-9_-]{20,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // Private keys
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  // Authorization headers
  {
    pattern: /(\b(?:authorization|proxy-authorization)\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[^\s"',;]+/gi,
    mayMatch: (text) => /authoriz/i.test(text),
  },
];

/** `https://user:pass@host` → `https://***@host` (also for postgres://, redis:// …). */
const URL_CREDENTIALS = /(?<=\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi;

/** Query parameters (or fragment parameters, as OAuth's implicit flow returns them) whose values are credentials. */
const QUERY_SECRETS =
  /(?<=[?&#](?:token|access_token|api_key|apikey|key|sig|signature|password|secret|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=)[^&\s#"']+/gi;

export class Redactor {
  readonly #secrets = new Set<string>();
  /** The secrets longest first (so that a secret containing another is replaced whole), sorted once per change. */
  #longestFirst: string[] | undefined;

  /** Registers a value that must never appear in output. Values under 4 characters are ignored (as the runner does not mask them usefully). */
  add(secret: string | undefined): void {
    if (!secret) return;
    const value = secret.trim();
    if (value.length < 4) return;
    this.#secrets.add(value);
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) this.#secrets.add(line.trim());
    this.#longestFirst = undefined;
  }

  get secrets(): readonly string[] {
    return [...this.#secrets];
  }

  redact(text: string): string {
    let result = text;
    this.#longestFirst ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    for (const secret of this.#longestFirst) result = result.split(secret).join(REDACTED);
    return redactPatterns(result);
  }
}

/** Scrubs secret-like patterns (no registered secrets) from a text. */
/**
 * A literal that every pattern above needs (case aside): most texts have none, and one scan for
 * them costs less than the dozen scans of the patterns.
 */
const ANY_PATTERN =
  /hooks\.slack|xox[abposr]-|gh[pousr]_|github_pat_|A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)|aws_secret|k8s-aws-v1\.|eyJ|-----BEGIN|authoriz|:\/\/|=/i;

/**
 * The start of a token of a known format at the end of a text that was cut short (`…`): too short
 * for its pattern, still part of a secret.
 */
const CUT_TOKEN =
  /(?:\bgh[pousr]_|\bgithub_pat_|\bxox[abposr]-|\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)|\bk8s-aws-v1\.|\beyJ)[A-Za-z0-9_./+=-]*…$/;

export function redactPatterns(text: string): string {
  if (!ANY_PATTERN.test(text)) return text;
  let result = text.endsWith('…') ? text.replace(CUT_TOKEN, `${REDACTED}…`) : text;
  for (const entry of SECRET_PATTERNS) {
    if (entry instanceof RegExp) result = result.replace(entry, REDACTED);
    else if (entry.mayMatch(result)) result = result.replace(entry.pattern, (_, prefix: string) => `${prefix}${REDACTED}`);
  }
  if (result.includes('://')) result = result.replace(URL_CREDENTIALS, `${REDACTED}@`);
  return result.includes('=') ? result.replace(QUERY_SECRETS, REDACTED) : result;
}

/** True when the text contains something that looks like a secret. */
export function looksSecret(text: string): boolean {
  return redactPatterns(text) !== text;
}

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T, redactor: Pick<Redactor, 'redact'>): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)])) as T;
  }
  return value;
}
