/**
 * Reads a suite file: YAML with positions, `${VAR}` interpolation, schema validation. Every error
 * is an InputError with `file:line`, the field and what is accepted.
 */
import path from 'node:path';
import { InputError, readTextFile, refusalText } from '@pipeline-toolkit/core';
import type { Document, Node as YamlNode } from 'yaml';
import { CAPTURE_REFERENCE, interpolate, SECRET_NAME } from './interpolate.ts';
import { loadYaml } from './yaml.ts';
import type { Check, HttpExpect, JsonAssert, Suite, TargetEntry } from './model.ts';
import { DEFAULTS, defaultTargets } from './defaults.ts';
import type { CheckFile, SuiteFile } from './schema.ts';
import { checkCaptureOrder, patternsOf } from './captures.ts';
import { compileRegex } from './regex.ts';

/**
 * `${X}` inside a YAML flow mapping (`{ host: ${DB_HOST} }`) is not valid YAML, so references are
 * swapped for plain-scalar placeholders before parsing and substituted back into each parsed
 * string. This also keeps values from being read as YAML (no injection through a variable).
 */
const REFERENCE = /\$\$|\$\{[^}\n]*\}/g;
const placeholder = (index: number) => `__ptk_ref_${index}__`;
const PLACEHOLDER = /__ptk_ref_(\d+)__/g;
/** Request headers whose values are credentials: never printed. */
const SENSITIVE_HEADER = /auth|token|key|secret|cookie|session|signature|password/i;
const HAS_PLACEHOLDER = /__ptk_ref_\d+__/;

/** The largest smoke suite read: a file of checks, far below it. */
const MAX_SUITE_BYTES = 16 * 1024 * 1024;

export async function loadSuiteFile(file: string, options: { env: Record<string, string>; cwd: string; input?: string }): Promise<Suite> {
  const input = options.input ?? 'config';
  const absolute = path.resolve(options.cwd, file);
  const cannot = (why: string) => new InputError(input, `Cannot read the smoke suite '${file}': ${why}.`);
  let text: string;
  try {
    text = await readTextFile(absolute, MAX_SUITE_BYTES, (refusal) => {
      throw cannot(`it ${refusalText(refusal, 'a suite')}`);
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw cannot(code === 'ENOENT' ? 'no such file' : String(code));
  }
  return parseSuite(text, { file, env: options.env, input });
}

export async function parseSuite(text: string, options: { file: string; env: Record<string, string>; input?: string }): Promise<Suite> {
  const input = options.input ?? 'config';
  // The schema module (zod) loads while the YAML is parsed and interpolated.
  const schemaModule = import('./schema.ts');
  const { parseDocument, LineCounter, isMap, isPair, isScalar, visit } = await loadYaml();
  const refs: string[] = [];
  const masked = text.replace(REFERENCE, (match) => placeholder(refs.push(match) - 1));
  const lineCounter = new LineCounter();
  const doc = parseDocument(masked, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => `${options.file}:${offset === undefined ? 1 : lineCounter.linePos(offset).line}`;
  function fail(problems: string[]): never {
    throw new InputError(input, `Invalid smoke suite ${options.file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }

  if (doc.errors.length) fail(doc.errors.slice(0, 5).map((e) => `${at(e.pos[0])}: invalid YAML: ${e.message.split('\n')[0]}`));

  const problems: string[] = [];
  const secrets = new Set<string>();
  const targets: Record<string, TargetEntry> = {};
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string' || !HAS_PLACEHOLDER.test(node.value)) return;
      const restored = node.value.replace(PLACEHOLDER, (_m, index: string) => refs[Number(index)] ?? '');
      const result = interpolate(restored, options.env);
      const where = at(node.range?.[0]);
      for (const bad of result.invalid) problems.push(`${where}: '${bad}' is not a valid reference; use \${NAME} or \${NAME:-default}`);
      for (const name of result.used) if (SECRET_NAME.test(name)) secrets.add(options.env[name] ?? '');
      node.value = result.value;
      if (!result.missing.length) return;
      // A target may reference an unset variable: it matters only when that target is chosen.
      const targetPair = ancestors[2];
      const isTarget =
        ancestors.length === 5 &&
        isPair(targetPair) &&
        isScalar(targetPair.key) &&
        targetPair.key.value === 'targets' &&
        isMap(ancestors[3]);
      if (isTarget) {
        const pair = ancestors[ancestors.length - 1];
        const name = isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : '';
        targets[name] = { missing: result.missing.join(', '), where };
        return;
      }
      for (const name of result.missing) {
        problems.push(`${where}: \${${name}} is not set; set it in the environment or in .env, or give a default: \${${name}:-value}`);
      }
    },
  });
  if (problems.length) fail(problems);

  const { suiteSchema } = await schemaModule;
  const parsed = suiteSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) fail(parsed.error.issues.slice(0, 10).map((issue) => formatIssue(issue, doc, at)));
  const atPath = (p: PropertyKey[]) => at(nodeAt(doc, p)?.range?.[0]);
  const suite = toSuite(parsed.data, { file: options.file, env: options.env, at: atPath, targets, secrets, fail });
  const patternProblems = await invalidPatterns(suite.checks, atPath);
  if (patternProblems.length) fail(patternProblems);
  return suite;

  function nodeAt(document: Document, issuePath: readonly PropertyKey[]): YamlNode | undefined {
    for (let n = issuePath.length; n >= 0; n--) {
      const node = document.getIn(issuePath.slice(0, n) as unknown[], true);
      if (node && typeof node === 'object' && 'range' in node) return node as YamlNode;
    }
    return undefined;
  }

  function formatIssue(
    issue: { path: PropertyKey[]; message: string; code: string; keys?: string[] },
    document: Document,
    where: (offset: number | undefined) => string,
  ): string {
    let node = nodeAt(document, issue.path);
    if (issue.code === 'unrecognized_keys' && issue.keys?.[0] && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === issue.keys?.[0]);
      if (pair && isScalar(pair.key)) node = pair.key;
    }
    return `${where(node?.range?.[0])}: ${fieldName(issue.path, document)}: ${issue.message}`;
  }
}

/** Regular expressions that RE2 cannot run (backreferences, lookaround) or that are too long. */
async function invalidPatterns(checks: readonly Check[], atPath: (p: PropertyKey[]) => string): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, check] of checks.entries()) {
    for (const { field, path: fieldPath, pattern } of patternsOf(check)) {
      const compiled = await compileRegex(pattern);
      if ('error' in compiled) {
        const where = atPath(['checks', index, 'http', ...fieldPath]);
        problems.push(`${where}: check '${check.name}' http.${field}: ${JSON.stringify(pattern.slice(0, 60))} ${compiled.error}`);
      }
    }
  }
  return problems;
}

/** `checks[2].http.expect.status` → `check 'orders API' http.expect.status`. */
function fieldName(issuePath: readonly PropertyKey[], doc: Document): string {
  if (!issuePath.length) return 'suite';
  if (issuePath[0] === 'checks' && typeof issuePath[1] === 'number') {
    const name = doc.getIn(['checks', issuePath[1], 'name']);
    const rest = issuePath.slice(2).map(String).join('.');
    const label = typeof name === 'string' ? `check '${name}'` : `checks[${issuePath[1]}]`;
    return rest ? `${label} ${rest}` : label;
  }
  return issuePath
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

function toSuite(
  data: SuiteFile,
  context: {
    file: string;
    env: Record<string, string>;
    at: (issuePath: PropertyKey[]) => string;
    targets: Record<string, TargetEntry>;
    secrets: Set<string>;
    fail: (problems: string[]) => never;
  },
): Suite {
  const defaults = { ...DEFAULTS, ...stripUndefined(data.defaults) };
  const targets: Record<string, TargetEntry> = {};
  const problems: string[] = [];
  if (!data.targets) Object.assign(targets, defaultTargets(context.env));
  for (const [name, url] of Object.entries(data.targets ?? {})) {
    const where = context.at(['targets', name]);
    const deferred = context.targets[name];
    if (deferred) targets[name] = deferred;
    else if (isHttpUrl(url)) targets[name] = { url, where };
    else problems.push(`${where}: targets.${name}: must be an http:// or https:// URL, got '${url}'`);
  }
  if (problems.length) context.fail(problems);
  const secrets = new Set(context.secrets);
  const checks = data.checks.map((check, index) => toCheck(check, defaults, `${context.at(['checks', index])}`, secrets));
  const captureProblems = data.checks.flatMap((check, index) => misplacedCaptures(check, context.at(['checks', index])));
  captureProblems.push(...checkCaptureOrder(checks));
  if (captureProblems.length) context.fail(captureProblems);
  const budget = data['latency-budget'];
  return {
    ...(budget ? { latencyBudget: { p95Ms: budget.p95, gate: budget.gate } } : {}),
    source: context.file,
    targets,
    concurrency: defaults.concurrency,
    ...(data.health ? { health: data.health } : {}),
    checks,
    env: context.env,
    secrets: [...secrets].filter(Boolean),
  };
}

/** `${captures.X}` is filled in only in an http check's request: path, url, headers and body. */
function misplacedCaptures(check: CheckFile, where: string): string[] {
  const request = check.http ? [check.http.path, check.http.url, check.http.headers, check.http.body] : [];
  const inRequest = capturesIn(request).length;
  const everywhere = capturesIn(check).length;
  return everywhere > inRequest
    ? [`${where}: check '${check.name}': \${captures.NAME} can be used only in an http check's path, url, headers and body`]
    : [];
}

function capturesIn(value: unknown): string[] {
  return [...(JSON.stringify(value) ?? '').matchAll(CAPTURE_REFERENCE)].map((m) => m[1] as string);
}

function toCheck(check: CheckFile, defaults: typeof DEFAULTS, where: string, secrets: Set<string>): Check {
  const uses = check.http ? [...new Set(capturesIn([check.http.path, check.http.url, check.http.headers, check.http.body]))] : [];
  const common = {
    name: check.name,
    tags: check.tags,
    timeoutMs: check.timeout ?? defaults.timeout,
    retries: check.retries ?? defaults.retries,
    backoffMs: check.backoff ?? defaults.backoff,
    where,
    ...(check.until ? { until: { timeoutMs: check.until.timeout, intervalMs: check.until.interval } } : {}),
    ...(uses.length ? { uses } : {}),
  };
  if (check.http) {
    const { http } = check;
    for (const [name, value] of Object.entries(http.headers)) {
      // A header filled from a capture is redacted by its captured value when the check runs.
      if (SENSITIVE_HEADER.test(name) && !capturesIn(value).length) secrets.add(value.replace(/^(bearer|basic|token)\s+/i, ''));
    }
    const body = http.body === undefined || typeof http.body === 'string' ? http.body : JSON.stringify(http.body);
    // A body written as YAML data is sent as JSON, with its content type unless the suite sets one.
    const headers =
      typeof http.body === 'object' && !Object.keys(http.headers).some((h) => h.toLowerCase() === 'content-type')
        ? { ...http.headers, 'content-type': 'application/json' }
        : http.headers;
    return {
      ...common,
      kind: 'http',
      http: {
        method: http.method,
        ...(http.path !== undefined ? { path: http.path } : {}),
        ...(http.url !== undefined ? { url: http.url } : {}),
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(typeof http.body === 'object' ? { bodyIsJson: true } : {}),
        followRedirects: http['follow-redirects'],
        maxRedirects: http['max-redirects'],
        expect: toExpect(http.expect),
        ...(http.capture ? { capture: http.capture } : {}),
      },
    };
  }
  if (check.tcp) return { ...common, kind: 'tcp', tcp: check.tcp };
  if (check.postgres) {
    secrets.add(check.postgres.password ?? '');
    return { ...common, kind: 'postgres', postgres: stripUndefined(check.postgres) };
  }
  if (check.env) return { ...common, kind: 'env', env: { required: check.env.required, oneOf: check.env['one-of'] } };
  if (check.command) return { ...common, kind: 'command', command: stripUndefined(check.command) };
  throw new Error(`check '${check.name}' has no kind`); // the schema guarantees one
}

function toExpect(expect: NonNullable<CheckFile['http']>['expect']): HttpExpect {
  const tls = expect.tls && stripUndefined({ minDaysValid: expect.tls['min-days-valid'], hostname: expect.tls.hostname });
  const jsonpath = Object.entries(expect.jsonpath ?? {}).map(([path, assertion]) => {
    const { count, ...rest } = assertion;
    const renamed = renameComparisons(rest);
    if (count !== undefined) renamed['count'] = typeof count === 'number' ? count : renameComparisons(count);
    return { path, ...renamed } as JsonAssert;
  });
  return stripUndefined({
    status: expect.status,
    json: expect.json,
    jsonpath: jsonpath.length ? jsonpath : undefined,
    bodyContains: expect['body-contains'],
    bodyMatches: expect['body-matches'],
    header: expect.header,
    headerMatches: expect['header-matches'],
    maxLatencyMs: expect['max-latency'],
    tls,
    redirects: expect.redirects,
    redirectChain: expect['redirect-chain'],
    finalUrl: expect['final-url'],
    maxSizeBytes: expect['max-size'],
    minSizeBytes: expect['min-size'],
  });
}

const COMPARISONS: Record<string, string> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };

/** `{ '>': 2 }` → `{ gt: 2 }`. */
function renameComparisons(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [COMPARISONS[k] ?? k, v]),
  );
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
