import path from 'node:path';
import { InputError, isInside, readRepositoryText, readTextFile, refusalText } from '@pipeline-toolkit/core';
import type { z as ZodNamespace } from 'zod';
import type { YAMLSeq } from 'yaml';
import { fingerprintOf, matchOf } from './aggregate.ts';
import type { Category, ToolInfo } from './model.ts';
import type { RawFinding, ReportSink } from './sink.ts';

/**
 * What decides, finding by finding, whether a finding read from a report is kept, and whether it
 * gates (ADR-030): `skip-paths` (left out), the tools' own ignore files (.trivyignore,
 * .trivyignore.yaml, .semgrepignore; .gitleaksignore is read by the Gitleaks parser),
 * `ignore-unfixed` and the `suppressions` file (kept, suppressed, with the reason as the SARIF
 * suppression's justification). Plain data: it travels to the aggregation threads.
 */
export interface FindingPolicy {
  /** Globs of repository paths whose findings are left out (input skip-paths). */
  skipPaths: string[];
  /** Vulnerabilities without a fixed version are kept but do not gate (input ignore-unfixed). */
  ignoreUnfixed: boolean;
  suppressions: Suppression[];
  trivyIgnore: TrivyIgnoreEntry[];
  /** The .semgrepignore patterns (gitignore syntax), `:include`d files already read in. */
  semgrepIgnore: string[];
}

export const EMPTY_POLICY: FindingPolicy = { skipPaths: [], ignoreUnfixed: false, suppressions: [], trivyIgnore: [], semgrepIgnore: [] };

/** One entry of the suppressions file, validated. */
export interface Suppression {
  kind: 'rule' | 'fingerprint' | 'path';
  value: string;
  reason: string;
  expires: string;
  /** `file:line` of the entry, for messages. */
  where: string;
}

/** One entry of .trivyignore (an id) or .trivyignore.yaml (an id in one list, perhaps with paths and purls). */
export interface TrivyIgnoreEntry {
  id: string;
  /** Only findings of this category (the .yaml lists); any when absent. */
  category?: Category;
  paths?: string[];
  /** `name@version` of the purls listed. */
  packages?: string[];
  statement?: string;
  /** The file it comes from, for the justification. */
  file: string;
}

type Zod = typeof ZodNamespace;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date `YYYY-MM-DD` (not 2026-02-30). */
function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const ACCEPTED =
  "Each entry of `suppressions:` has exactly one of `rule` (a rule id), `fingerprint` (32 hex digits: a finding's `match` or `fingerprint` from the findings file) or `path` (a glob of repository paths), plus `reason` (text) and `expires` (YYYY-MM-DD, today or later).";

/** Built when a suppressions file is read: zod is loaded then (it stays out of the bundles that never read one, such as lint's). */
const entrySchema = (z: Zod) =>
  z
    .object({
      rule: z.string().trim().min(1, 'rule is empty').optional(),
      fingerprint: z
        .string()
        .trim()
        .regex(/^[0-9a-f]{32}$/i, 'fingerprint must be 32 hex digits')
        .optional(),
      path: z.string().trim().min(1, 'path is empty').optional(),
      reason: z.string({ error: 'reason is missing (say why the finding is accepted)' }).trim().min(1, 'reason is empty'),
      expires: z
        .string({ error: 'expires is missing or not a quoted date (YYYY-MM-DD)' })
        .trim()
        .refine(isDate, 'expires must be a date YYYY-MM-DD'),
    })
    .strict()
    .refine((e) => [e.rule, e.fingerprint, e.path].filter((v) => v !== undefined).length === 1, {
      message: 'give exactly one of rule, fingerprint or path',
    });

/** The largest suppressions file read: thousands of entries of a few lines each are far below it. */
const MAX_SUPPRESSIONS_BYTES = 16 * 1024 * 1024;

/**
 * Reads and validates a suppressions file: every problem of every entry is listed in one
 * InputError (exit 2), each naming `file:line`, and what is accepted. An expired entry is an error:
 * a suppression that has run out must be renewed with a reason or removed.
 */
export async function readSuppressions(
  file: string,
  shown: string,
  options: { input: string; label: string; now?: Date },
): Promise<Suppression[]> {
  const text = await readTextFile(file, MAX_SUPPRESSIONS_BYTES, (refusal) => {
    throw new InputError(options.input, `${options.label}: ${shown} ${refusalText(refusal, 'a suppressions file')}.`);
  });
  // zod and yaml are loaded when a file needs them: they stay out of the workers that read the reports
  const [{ z }, { isMap, isSeq, LineCounter, parseDocument }] = await Promise.all([import('zod'), import('yaml')]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (problems: string[]): never => {
    throw new InputError(
      options.input,
      `${options.label}: ${shown} is not a valid suppressions file:\n${problems.map((p) => `- ${p}`).join('\n')}\n${ACCEPTED}`,
    );
  };
  if (doc.errors.length) fail(doc.errors.slice(0, 5).map((e) => `${shown}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
  const root = doc.contents;
  const list = isMap(root) ? root.get('suppressions', true) : undefined;
  if (!isMap(root) || !isSeq(list)) {
    if (isMap(root) && (list === null || list === undefined) && root.has('suppressions')) return [];
    fail([`${shown}: expected a mapping with a \`suppressions:\` list`]);
  }
  const seq = list as unknown as YAMLSeq;
  const problems: string[] = [];
  const entries: Suppression[] = [];
  const day = today(options.now);
  seq.items.forEach((item, index) => {
    const range = (item as { range?: [number, number, number] } | null)?.range;
    const line = range ? lines.linePos(range[0]).line : undefined;
    const where = `${shown}:${line ?? `entry ${index + 1}`}`;
    const value = (item as { toJSON?: () => unknown })?.toJSON?.() ?? item;
    const parsed = entrySchema(z).safeParse(value);
    if (!parsed.success) {
      const messages = parsed.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message,
      );
      problems.push(`${where} (entry ${index + 1}): ${[...new Set(messages)].join('; ')}`);
      return;
    }
    const e = parsed.data;
    const kind = e.rule !== undefined ? 'rule' : e.fingerprint !== undefined ? 'fingerprint' : 'path';
    const subject = (e.rule ?? e.fingerprint ?? e.path)!;
    if (e.expires < day) {
      problems.push(
        `${where} (entry ${index + 1}, ${kind} ${subject}): expired on ${e.expires} (today is ${day}); renew it with a reason or remove it`,
      );
      return;
    }
    entries.push({ kind, value: kind === 'fingerprint' ? subject.toLowerCase() : subject, reason: e.reason, expires: e.expires, where });
  });
  if (problems.length) fail(problems);
  return entries;
}

/** .trivyignore: one id per line, `#` comments, an optional `exp:YYYY-MM-DD` after it (an expired id is not ignored, as Trivy does). */
export function parseTrivyIgnore(text: string, file: string, now?: Date): TrivyIgnoreEntry[] {
  const day = today(now);
  const entries: TrivyIgnoreEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [id, ...rest] = line.split(/\s+/);
    const exp = rest.find((r) => r.startsWith('exp:'))?.slice(4);
    if (exp && isDate(exp) && exp < day) continue;
    entries.push({ id: id!, file });
  }
  return entries;
}

const TRIVY_LISTS: Record<string, Category> = {
  vulnerabilities: 'vulnerability',
  misconfigurations: 'misconfiguration',
  secrets: 'secret',
  licenses: 'licence',
};

const trivyYamlEntry = (z: Zod) =>
  z
    .object({
      id: z.string().min(1),
      paths: z.array(z.string()).optional(),
      purls: z.array(z.string()).optional(),
      expired_at: z.union([z.string(), z.date()]).optional(),
      statement: z.string().optional(),
    })
    .loose();

/** `pkg:npm/%40scope/name@1.2.3?x=y` → `@scope/name@1.2.3`. */
function purlPackage(purl: string): string | undefined {
  const m = /^pkg:[^/]+\/(.+?)@([^?#]+)/.exec(purl);
  if (!m) return undefined;
  const name = decodeURIComponent(m[1]!).split('/').at(-1)!;
  const scoped = decodeURIComponent(m[1]!).includes('@') ? decodeURIComponent(m[1]!).split('/').slice(-2).join('/') : name;
  return `${scoped}@${decodeURIComponent(m[2]!)}`;
}

/** .trivyignore.yaml (Trivy's experimental format): lists of `{ id, paths, purls, expired_at, statement }` by kind. */
export async function parseTrivyIgnoreYaml(
  text: string,
  file: string,
  options: { input: string; now?: Date },
): Promise<TrivyIgnoreEntry[]> {
  const [{ z }, { parseDocument }] = await Promise.all([import('zod'), import('yaml')]);
  const doc = parseDocument(text, { prettyErrors: false });
  const bad = (why: string): never => {
    throw new InputError(
      options.input,
      `${file} is not a valid .trivyignore.yaml: ${why}. Expected lists vulnerabilities, misconfigurations, secrets, licenses of entries { id, paths, purls, expired_at, statement }.`,
    );
  };
  if (doc.errors.length) bad(doc.errors[0]!.message.split('\n')[0]!);
  const data = doc.toJSON() as unknown;
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object' || Array.isArray(data)) bad('the document is not a mapping');
  const day = today(options.now);
  const entries: TrivyIgnoreEntry[] = [];
  for (const [key, list] of Object.entries(data as Record<string, unknown>)) {
    const category = TRIVY_LISTS[key];
    if (!category) bad(`unknown key '${key}'`);
    if (list === null) continue;
    if (!Array.isArray(list)) bad(`'${key}' is not a list`);
    for (const [i, item] of (list as unknown[]).entries()) {
      const parsed = trivyYamlEntry(z).safeParse(item);
      if (!parsed.success) bad(`${key}[${i}] needs an id (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      const e = parsed.data!;
      const expires = e.expired_at instanceof Date ? e.expired_at.toISOString().slice(0, 10) : e.expired_at;
      if (expires && expires < day) continue;
      const packages = e.purls?.map(purlPackage).filter((p): p is string => !!p);
      entries.push({
        id: e.id,
        category: category!,
        ...(e.paths?.length ? { paths: e.paths } : {}),
        ...(packages?.length ? { packages } : {}),
        ...(e.statement ? { statement: e.statement } : {}),
        file,
      });
    }
  }
  return entries;
}

/** The largest ignore file read (.trivyignore, .gitleaksignore, .semgrepignore): lists of ids and patterns, far below it. */
export const MAX_IGNORE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * A tool's ignore file of the repository (`.trivyignore`), undefined when there is none: a regular
 * file inside the repository up to 16 MB (readRepositoryText); anything else is an InputError of
 * the tool's input (`trivy-report`), since a pull request may plant a link to a device or a pipe.
 */
export function readIgnoreFile(root: string, name: string, input: string): Promise<string | undefined> {
  return readRepositoryText(root, name, MAX_IGNORE_FILE_BYTES, (refusal) => {
    throw new InputError(input, `The repository's ignore file ${name} ${refusalText(refusal, 'an ignore file')}.`);
  });
}

/** .semgrepignore patterns (gitignore syntax); `:include <file>` lines read in once (inside the repository only). */
export async function readSemgrepIgnore(root: string): Promise<string[]> {
  const text = await readIgnoreFile(root, '.semgrepignore', 'semgrep-report');
  if (text === undefined) return [];
  const patterns: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const include = raw.trim().startsWith(':include') ? raw.trim().slice(':include'.length).trim() : undefined;
    if (include) {
      const included = isInside(root, path.resolve(root, include)) ? await readIgnoreFile(root, include, 'semgrep-report') : undefined;
      if (included !== undefined) patterns.push(...included.split(/\r?\n/));
      continue;
    }
    patterns.push(raw);
  }
  return patterns.map((p) => p.trimEnd()).filter((p) => p && !p.startsWith('#'));
}

/** Whether a glob matches a repository path (`path.matchesGlob`, forward slashes). */
export function globMatches(glob: string, file: string): boolean {
  const pattern = glob.replace(/^\.\//, '');
  return path.posix.matchesGlob(file, pattern) || path.posix.matchesGlob(file, `${pattern.replace(/\/$/, '')}/**`);
}

/** gitignore semantics for one path: the last pattern that matches decides (`!` re-includes). */
export function gitignored(patterns: readonly string[], file: string): string | undefined {
  let decided: string | undefined;
  for (const original of patterns) {
    let p = original.replace(/^\\/, '');
    const negated = original.startsWith('!');
    if (negated) p = p.slice(1);
    const dirOnly = p.endsWith('/');
    while (p.endsWith('/')) p = p.slice(0, -1);
    const anchored = p.startsWith('/') || p.includes('/');
    p = p.replace(/^\//, '');
    if (!p) continue;
    const base = anchored ? p : `**/${p}`;
    const hit = (!dirOnly && path.posix.matchesGlob(file, base)) || path.posix.matchesGlob(file, `${base}/**`);
    if (hit) decided = negated ? undefined : original;
  }
  return decided;
}

/** Whether a Trivy finding is listed by an ignore entry (by id, and the entry's paths and packages when given). */
function trivyIgnores(entry: TrivyIgnoreEntry, raw: RawFinding): boolean {
  if (entry.category && entry.category !== raw.category) return false;
  if (entry.id !== raw.rule && `license:${entry.id}` !== raw.rule) return false;
  const file = raw.location?.path;
  if (entry.paths && !(file && entry.paths.some((g) => globMatches(g, file)))) return false;
  if (entry.packages && !(raw.package && entry.packages.includes(raw.package))) return false;
  return true;
}

/**
 * Applies a policy to each finding on its way into the aggregation: skipped paths are left out;
 * the tools' ignore files, ignore-unfixed and the suppressions file mark it suppressed with a
 * justification. A finding the tool already suppressed keeps the tool's verdict.
 */
export class PolicySink implements ReportSink {
  readonly #sink: ReportSink & { startReport(file: string): void };
  readonly #policy: FindingPolicy;
  readonly #byRule = new Map<string, Suppression>();
  readonly #byFingerprint = new Map<string, Suppression>();
  readonly #byPath: Suppression[] = [];
  /**
   * The .trivyignore entries by id, each with its place in the files: a finding tries only the
   * entries of its rule (and of a licence rule's name), not every entry (thousands of ignored ids
   * against a hundred thousand findings). The first in file order that matches wins, as before.
   */
  readonly #trivyIgnoreById = new Map<string, { entry: TrivyIgnoreEntry; at: number }[]>();
  /**
   * What the globs decided for each file met: a report names one file in many findings, and each
   * glob costs a few microseconds (30,000 Semgrep results over 3,000 files and 20 patterns: 0.65 s, 0.14 s remembered).
   */
  readonly #skipOf = new Map<string, string | undefined>();
  readonly #semgrepIgnoredBy = new Map<string, string | undefined>();
  readonly #pathSuppressionOf = new Map<string, Suppression | undefined>();

  constructor(sink: ReportSink & { startReport(file: string): void }, policy: FindingPolicy) {
    this.#sink = sink;
    this.#policy = policy;
    for (const s of policy.suppressions) {
      if (s.kind === 'rule') this.#byRule.set(s.value, s);
      else if (s.kind === 'fingerprint') this.#byFingerprint.set(s.value, s);
      else this.#byPath.push(s);
    }
    policy.trivyIgnore.forEach((entry, at) => {
      const same = this.#trivyIgnoreById.get(entry.id);
      if (same) same.push({ entry, at });
      else this.#trivyIgnoreById.set(entry.id, [{ entry, at }]);
    });
  }

  /** The first .trivyignore entry (in file order) that ignores a Trivy finding: listed under its rule, or a licence rule's name. */
  #trivyIgnoreOf(raw: RawFinding): TrivyIgnoreEntry | undefined {
    const licence = raw.rule.startsWith('license:') ? this.#trivyIgnoreById.get(raw.rule.slice('license:'.length)) : undefined;
    let first: { entry: TrivyIgnoreEntry; at: number } | undefined;
    for (const candidate of [...(this.#trivyIgnoreById.get(raw.rule) ?? []), ...(licence ?? [])])
      if ((!first || candidate.at < first.at) && trivyIgnores(candidate.entry, raw)) first = candidate;
    return first?.entry;
  }

  startReport(file: string): void {
    this.#sink.startReport(file);
  }

  tool(info: ToolInfo): void {
    this.#sink.tool(info);
  }

  secret(value: string | undefined): void {
    this.#sink.secret(value);
  }

  problem(message: string): void {
    this.#sink.problem(message);
  }

  finding(raw: RawFinding): void {
    const file = raw.location?.path;
    const skip = file ? byFile(this.#skipOf, file, () => this.#policy.skipPaths.find((g) => globMatches(g, file))) : undefined;
    if (skip !== undefined) {
      this.#sink.skipped?.(raw.tool, skip);
      return;
    }
    if (!raw.suppressed) {
      const why = this.#justification(raw, file);
      if (why) {
        raw.suppressed = true;
        raw.justification = why;
      }
    }
    this.#sink.finding(raw);
  }

  #justification(raw: RawFinding, file: string | undefined): string | undefined {
    const policy = this.#policy;
    if (raw.tool === 'trivy') {
      const entry = this.#trivyIgnoreOf(raw);
      if (entry) return `${entry.file}${entry.statement ? `: ${entry.statement}` : `: ${entry.id}`}`;
    }
    if (raw.tool === 'semgrep' && file && policy.semgrepIgnore.length) {
      const pattern = byFile(this.#semgrepIgnoredBy, file, () => gitignored(policy.semgrepIgnore, file));
      if (pattern) return `.semgrepignore: ${pattern}`;
    }
    if (policy.ignoreUnfixed && raw.unfixed) return 'ignore-unfixed: no fixed version yet';
    const suppression =
      this.#byRule.get(raw.rule) ??
      (this.#byFingerprint.size ? (this.#byFingerprint.get(matchOf(raw)) ?? this.#byFingerprint.get(fingerprintOf(raw.key))) : undefined) ??
      (file && this.#byPath.length
        ? byFile(this.#pathSuppressionOf, file, () => this.#byPath.find((s) => globMatches(s.value, file)))
        : undefined);
    if (suppression) return `${suppression.reason} (suppressions ${suppression.where}, until ${suppression.expires})`;
    return undefined;
  }
}

/** `decide(file)`, remembered in `memo`. */
function byFile<T>(memo: Map<string, T | undefined>, file: string, decide: () => T | undefined): T | undefined {
  if (memo.has(file)) return memo.get(file);
  const decided = decide();
  memo.set(file, decided);
  return decided;
}

/** Whether a policy changes anything (the sink is not wrapped when not). */
export function isEmptyPolicy(policy: FindingPolicy | undefined): boolean {
  return (
    !policy ||
    (!policy.skipPaths.length &&
      !policy.ignoreUnfixed &&
      !policy.suppressions.length &&
      !policy.trivyIgnore.length &&
      !policy.semgrepIgnore.length)
  );
}
