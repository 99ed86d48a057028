/**
 * `${VAR}` and `${VAR:-default}` interpolation, as in Docker Compose: the default applies when the
 * variable is unset or empty; `$$` is a literal `$`.
 */

const REFERENCE = /\$\$|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Interpolation {
  value: string;
  /** Variables referenced without a default that are unset or empty. */
  missing: string[];
  /** Malformed references such as `${1X}` or `${}`. */
  invalid: string[];
  /** Every variable that was substituted, by name. */
  used: string[];
  /** `${captures.NAME}` references, left in place: they are filled in when the check runs. */
  captures: string[];
}

/** `${captures.token}`: a value captured by an earlier check, substituted at run time. */
export const CAPTURE_REFERENCE = /\$\{captures\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
const CAPTURE_BODY = /^captures\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): Interpolation {
  const missing: string[] = [];
  const invalid: string[] = [];
  const used: string[] = [];
  const captures: string[] = [];
  const value = text.replace(REFERENCE, (match, inner: string | undefined) => {
    if (match === '$$') return '$';
    const body = inner ?? '';
    const capture = CAPTURE_BODY.exec(body);
    if (capture) {
      captures.push(capture[1] as string);
      return match;
    }
    const split = body.indexOf(':-');
    const name = split < 0 ? body : body.slice(0, split);
    if (!NAME.test(name)) {
      invalid.push(match);
      return match;
    }
    const current = env[name];
    if (current) {
      used.push(name);
      return current;
    }
    if (split >= 0) return body.slice(split + 2);
    missing.push(name);
    return '';
  });
  return { value, missing, invalid, used, captures };
}

/** Variable names whose values are treated as secrets when they are substituted into a suite. */
export const SECRET_NAME = /token|secret|passw|._pwd$|api_?key|private_?key|credential|cookie|session|(?:^|_)auth(?:_|$)/i;
