import path from 'node:path';
import { errorMessage, InputError, isInside, own, quoteValue, readRepositoryText, readTextFile, refusalText } from '@pipeline-toolkit/core';
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
  /** Globs of the paths Trivy matches (a Result's Target, a vulnerability's PkgPath, a licence's FilePath). */
  paths?: string[];
  /** The packages (a vulnerability's PkgIdentifier.PURL) it is bound to; a purl without a version means every version. */
  purls?: Purl[];
  statement?: string;
  /** The file it comes from, for the justification. */
  file: string;
}

/** A parsed package URL, as plain data (the policy crosses to the worker threads). */
export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
  subpath?: string;
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
  const schema = entrySchema(z);
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
    const parsed = schema.safeParse(value);
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
  await checkGlobs(
    entries.filter((e) => e.kind === 'path').map((e) => ({ glob: e.value, where: `${options.label}: ${e.where}` })),
    options.input,
    'minimatch',
  );
  return entries;
}

/**
 * Whether an expiry date has passed, as Trivy decides it (pkg/result/ignore.go): the date is the
 * instant of expiry, midnight UTC, so on that day the entry no longer holds.
 */
const expired = (date: string, now: Date | undefined) => date <= today(now);

/**
 * .trivyignore, read as Trivy reads it: one id per line (its first field), `#` comment lines, an
 * optional `exp:YYYY-MM-DD` field. An expired id is not ignored, and neither is one whose date is
 * not a date: Trivy skips that line with a warning, which `warn` gets.
 */
export function parseTrivyIgnore(text: string, file: string, now?: Date, warn?: (message: string) => void): TrivyIgnoreEntry[] {
  const entries: TrivyIgnoreEntry[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [id, ...rest] = line.split(/\s+/);
    const exp = rest.find((r) => r.startsWith('exp:'))?.slice(4);
    if (exp !== undefined && !isDate(exp)) {
      warn?.(`${file}:${index + 1}: '${exp}' after exp: is not a date (YYYY-MM-DD); ${id} is not ignored, as Trivy skips the line.`);
      continue;
    }
    if (exp && expired(exp, now)) continue;
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
      expired_at: z.unknown().optional(),
      statement: z.string().optional(),
    })
    .loose();

/** Whether a repository path (forward slashes) matches a glob. */
export type Glob = (file: string) => boolean;

/**
 * The syntax a glob is written in. `minimatch` (skip-paths, suppression paths): brace sets
 * (`{a,b}`, `{1..3}`) and extglobs (`@(a|b)`, `+(a)`, `!(a)`). `doublestar` (Trivy's `paths`, Go's
 * doublestar v4): brace sets, no extglobs. `gitignore` (`.semgrepignore`, as Git's wildmatch and
 * Semgrep read it): neither; `{}()|@+!` are characters like any other. All three have `*`, `?`,
 * `[...]` (`[!...]`, `[^...]`), `**` and `\` escapes.
 */
export type GlobSyntax = 'minimatch' | 'doublestar' | 'gitignore';
export type GlobCompiler = (pattern: string, syntax?: GlobSyntax) => Glob;

/**
 * The most patterns one glob may stand for once its brace sets are expanded (`{a,b}/{a,b}` stands
 * for 4). Each is compiled and tried on its own: `{a,b}/` seventeen times was 100,000 patterns,
 * 1.8 s and 100 MB for one line of 110 characters.
 */
export const MAX_GLOB_PATTERNS = 256;
/** The most patterns the brace sets of one file's (or one input's) globs may stand for together. */
export const MAX_EXPANDED_PATTERNS = 4096;

/** A glob and where it was written (`file:line`, or an input), for messages. */
export interface GlobSource {
  glob: string;
  where: string;
}

/**
 * Refuses globs of one file or input whose brace sets stand for too many patterns (more than
 * MAX_GLOB_PATTERNS for one glob, MAX_EXPANDED_PATTERNS for all), and globs minimatch refuses
 * (longer than 64 KB): an InputError of `input` naming where the glob was written, before any
 * report is read. Brace sets are expanded only up to the bound, so the check costs little
 * whatever the glob. Checked where the globs are read (they are compiled in the threads that
 * read the reports, where an error would name nothing).
 */
export async function checkGlobs(globs: readonly GlobSource[], input: string, syntax: Exclude<GlobSyntax, 'gitignore'>): Promise<void> {
  const braced = globs.filter((g) => g.glob.includes('{'));
  if (!braced.length) return;
  const { braceExpand } = await import('minimatch');
  let total = 0;
  for (const { glob, where } of braced) {
    let count: number;
    try {
      count = braceExpand(glob, { braceExpandMax: MAX_GLOB_PATTERNS + 1, ...MINIMATCH_OPTIONS[syntax] }).length;
    } catch (error) {
      throw new InputError(input, `${where}: the glob ${quoteValue(glob)} cannot be read (${errorMessage(error)}).`);
    }
    if (count > MAX_GLOB_PATTERNS) {
      throw new InputError(
        input,
        `${where}: the glob ${quoteValue(glob)} stands for more than ${MAX_GLOB_PATTERNS} patterns once its brace sets are expanded; ` +
          'write fewer alternatives (a `**` or a `*` covers many names in one pattern).',
      );
    }
    if (count > 1 && (total += count) > MAX_EXPANDED_PATTERNS) {
      throw new InputError(
        input,
        `${where}: the brace sets of the globs up to ${quoteValue(glob)} stand for more than ${MAX_EXPANDED_PATTERNS} patterns together; ` +
          'write fewer alternatives (a `**` or a `*` covers many names in one pattern).',
      );
    }
  }
}

/** minimatch's options for each syntax, beside those of every glob. */
const MINIMATCH_OPTIONS: Record<GlobSyntax, { nobrace?: boolean; noext?: boolean }> = {
  minimatch: {},
  doublestar: { noext: true },
  gitignore: { nobrace: true, noext: true },
};

/**
 * The glob semantics of every path glob the policy reads (skip-paths, suppressions, the tools'
 * ignore files): minimatch, the library behind Node's own path.matchesGlob, with `*` and `**`
 * matching names that start with a dot, as the scanners' own globs do (Trivy's doublestar,
 * Semgrep's and Git's gitignore rules) and as report globs do (tinyglobby with `dot`). Node's
 * glob leaves them out: `vendor/**` did not cover `vendor/.bin/x.js`. A leading `!` or `#` is
 * taken literally (negation is the caller's). Brace sets and extglobs as the syntax has them
 * (GlobSyntax). Each pattern is compiled once; its brace sets stand for MAX_GLOB_PATTERNS at most
 * (checkGlobs refuses more where the globs are read; here the expansion stops there).
 */
export async function globCompiler(): Promise<GlobCompiler> {
  const { Minimatch } = await import('minimatch');
  const compiled = new Map<string, Glob>();
  return (pattern, syntax = 'minimatch') => {
    const key = `${syntax}\0${pattern}`;
    let glob = compiled.get(key);
    if (!glob) {
      const matcher = new Minimatch(pattern, {
        dot: true,
        nonegate: true,
        nocomment: true,
        platform: 'linux',
        braceExpandMax: MAX_GLOB_PATTERNS,
        ...MINIMATCH_OPTIONS[syntax],
      });
      compiled.set(key, (glob = (file) => matcher.match(file)));
    }
    return glob;
  };
}

/** A glob of skip-paths or of a suppression: the paths it matches, and everything below them (`vendor` is `vendor/**` too). */
export function pathGlob(compile: GlobCompiler, glob: string): Glob {
  const pattern = glob.replace(/^\.\//, '');
  const [itself, below] = [compile(pattern), compile(`${pattern.replace(/\/$/, '')}/**`)];
  return (file) => itself(file) || below(file);
}

/** What the policy's globs and Trivy's purls need, loaded only when the policy has them (policyMatchers). */
export interface PolicyMatchers {
  glob?: GlobCompiler;
  parsePurl?: (text: string) => Purl;
}

/** The libraries a policy needs: none for ids alone, so that they stay out of other scans' workers. */
export async function policyMatchers(policy: FindingPolicy): Promise<PolicyMatchers> {
  const globs =
    policy.skipPaths.length > 0 ||
    policy.semgrepIgnore.length > 0 ||
    policy.suppressions.some((s) => s.kind === 'path') ||
    policy.trivyIgnore.some((e) => e.paths);
  return {
    ...(globs ? { glob: await globCompiler() } : {}),
    ...(policy.trivyIgnore.some((e) => e.purls) ? { parsePurl: await purlParser() } : {}),
  };
}

/**
 * A parser of package URLs by the purl specification's own library (packageurl-js), giving plain
 * data; a bad one throws.
 */
export async function purlParser(): Promise<(text: string) => Purl> {
  const { PackageURL } = await import('packageurl-js');
  return (text) => {
    const p = PackageURL.fromString(text);
    return {
      type: p.type,
      name: p.name,
      ...(p.namespace ? { namespace: p.namespace } : {}),
      ...(p.version ? { version: p.version } : {}),
      ...(p.qualifiers && Object.keys(p.qualifiers).length ? { qualifiers: { ...p.qualifiers } } : {}),
      ...(p.subpath ? { subpath: p.subpath } : {}),
    };
  };
}

/**
 * Whether a package satisfies an ignore entry's purl, as Trivy's purl.Match: the same type,
 * namespace and name; the version and subpath when the entry gives them; and every qualifier the
 * entry gives.
 */
export function purlMatches(entry: Purl, target: Purl): boolean {
  if (entry.type !== target.type || (entry.namespace ?? '') !== (target.namespace ?? '') || entry.name !== target.name) return false;
  if (entry.version !== undefined && entry.version !== target.version) return false;
  if (entry.subpath !== undefined && entry.subpath !== target.subpath) return false;
  return Object.entries(entry.qualifiers ?? {}).every(([key, value]) => target.qualifiers?.[key] === value);
}

/** `expired_at` as Trivy's YAML decoder takes it: a date, or a timestamp; the day it names, UTC. */
function expiryDay(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  if (isDate(value)) return value;
  const time = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString().slice(0, 10) : undefined;
}

/** .trivyignore.yaml (Trivy's experimental format): lists of `{ id, paths, purls, expired_at, statement }` by kind. */
export async function parseTrivyIgnoreYaml(
  text: string,
  file: string,
  options: { input: string; now?: Date },
): Promise<TrivyIgnoreEntry[]> {
  const [{ z }, { LineCounter, parseDocument }] = await Promise.all([import('zod'), import('yaml')]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const bad = (why: string): never => {
    throw new InputError(
      options.input,
      `${file} is not a valid .trivyignore.yaml: ${why}. Expected lists vulnerabilities, misconfigurations, secrets, licenses of entries { id, paths, purls, expired_at, statement }.`,
    );
  };
  if (doc.errors.length) bad(doc.errors[0]!.message.split('\n')[0]!);
  let data: unknown;
  try {
    // aliases are expanded here: a billion laughs stops at yaml's alias count, an error of this file
    data = doc.toJSON() as unknown;
  } catch (error) {
    bad(errorMessage(error).split('\n')[0]!);
  }
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object' || Array.isArray(data)) bad('the document is not a mapping');
  const entries: TrivyIgnoreEntry[] = [];
  const globs: GlobSource[] = [];
  let parsePurl: ((text: string) => Purl) | undefined;
  const schema = trivyYamlEntry(z);
  for (const [key, list] of Object.entries(data as Record<string, unknown>)) {
    const category = own(TRIVY_LISTS, key);
    if (!category) bad(`unknown key '${key}'`);
    if (list === null) continue;
    if (!Array.isArray(list)) bad(`'${key}' is not a list`);
    for (const [i, item] of (list as unknown[]).entries()) {
      const parsed = schema.safeParse(item);
      if (!parsed.success) bad(`${key}[${i}] needs an id (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      const e = parsed.data!;
      if (e.expired_at !== undefined && e.expired_at !== null) {
        const expires = expiryDay(e.expired_at);
        if (!expires) bad(`${key}[${i}] (${e.id}): expired_at ${JSON.stringify(e.expired_at)} is not a date (YYYY-MM-DD)`);
        if (expired(expires!, options.now)) continue;
      }
      const purls: Purl[] = [];
      for (const text of e.purls ?? []) {
        try {
          purls.push((parsePurl ??= await purlParser())(text));
        } catch (error) {
          bad(`${key}[${i}] (${e.id}): purl ${JSON.stringify(text)} is not a package URL (${errorMessage(error)})`);
        }
      }
      for (const [j, glob] of (e.paths ?? []).entries()) {
        if (!glob.includes('{')) continue;
        const range = (doc.getIn([key, i, 'paths', j], true) as { range?: [number, number, number] } | undefined)?.range;
        const at = range ? `:${lines.linePos(range[0]).line}` : '';
        globs.push({ glob, where: `${file}${at} (${key}[${i}], ${e.id})` });
      }
      entries.push({
        id: e.id,
        category: category!,
        ...(e.paths?.length ? { paths: e.paths } : {}),
        ...(purls.length ? { purls } : {}),
        ...(e.statement ? { statement: e.statement } : {}),
        file,
      });
    }
  }
  await checkGlobs(globs, options.input, 'doublestar');
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
  return patterns.map(trimTrailingSpaces).filter((p) => p && !p.startsWith('#'));
}

/** A gitignore line without its trailing spaces, as Git reads it (trim_trailing_spaces): a space escaped by `\` stays. */
export function trimTrailingSpaces(line: string): string {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === ' ') {
      if (lastSpace < 0) lastSpace = i;
    } else {
      if (line[i] === '\\') i++;
      lastSpace = -1;
    }
  }
  return lastSpace < 0 ? line : line.slice(0, lastSpace);
}

/**
 * gitignore semantics (.semgrepignore), as Git and Semgrep apply them: the folders of a path are
 * decided from the top, then the file; for each, the last pattern that matches decides (`!`
 * re-includes; a pattern ending in `/` matches folders only). The patterns are in gitignore's
 * syntax (Git's wildmatch): no brace sets and no extglobs, so `{app,zzz}.py` and `@(app|zzz).py`
 * name files called that, never app.py; `\` escapes the next character (`\*`, `\!`, `\#`). A file in an ignored folder stays
 * ignored whatever a later `!` says: Git and Semgrep never look inside that folder. Returns the
 * pattern that ignores the path, or undefined.
 */
export function gitignore(compile: GlobCompiler, patterns: readonly string[]): (file: string) => string | undefined {
  const rules: { original: string; negated: boolean; dirOnly: boolean; glob: Glob }[] = [];
  for (const original of patterns) {
    let p = original;
    const negated = original.startsWith('!');
    if (negated) p = p.slice(1);
    const dirOnly = p.endsWith('/');
    while (p.endsWith('/')) p = p.slice(0, -1);
    const anchored = p.startsWith('/') || p.includes('/');
    p = p.replace(/^\//, '');
    if (!p) continue;
    rules.push({ original, negated, dirOnly, glob: compile(anchored ? p : `**/${p}`, 'gitignore') });
  }
  return (file) => {
    const parts = file.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const folder = depth < parts.length;
      const at = parts.slice(0, depth).join('/');
      let decided: string | undefined;
      for (const rule of rules) if ((folder || !rule.dirOnly) && rule.glob(at)) decided = rule.negated ? undefined : rule.original;
      if (decided !== undefined || !folder) return decided;
    }
    return undefined;
  };
}

/**
 * Whether a package known only as `name@version` (`@babel/core@7.0.0`) is one of the purls: its
 * name is the purl's name, or its namespace and name; its version the purl's, when it gives one.
 * Unknown (no package) is not covered: nothing tells it is that package.
 */
function packageMatches(purls: readonly Purl[], pkg: string | undefined): boolean {
  const at = pkg?.lastIndexOf('@') ?? -1;
  if (!pkg || at <= 0) return false;
  const [name, version] = [pkg.slice(0, at), pkg.slice(at + 1)];
  return purls.some(
    (p) =>
      (p.name === name || (p.namespace !== undefined && `${p.namespace}/${p.name}` === name)) &&
      (p.version === undefined || p.version === version),
  );
}

/**
 * The parts of a licence expression that Trivy checks one by one (`mit AND GPL-2.0-or-later`:
 * `mit`, `GPL-2.0-or-later`; a `WITH` exception stays with its licence), or undefined when the
 * text is not an expression of licence ids.
 */
export function licenceParts(expression: string): string[] | undefined {
  const tokens = expression.replace(/[()]/g, ' $& ').trim().split(/\s+/);
  const parts: string[] = [];
  let expectId = true;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '(' || token === ')') continue;
    const operator = /^(?:and|or)$/i.test(token);
    if (expectId === operator || /^with$/i.test(token) || !/^[A-Za-z0-9.+-]+$/.test(token)) return undefined;
    if (operator) {
      expectId = true;
      continue;
    }
    if (/^with$/i.test(tokens[i + 1] ?? '')) {
      const exception = tokens[i + 2];
      if (!exception || !/^[A-Za-z0-9.+-]+$/.test(exception)) return undefined;
      parts.push(`${token} WITH ${exception}`);
      i += 2;
    } else parts.push(token);
    expectId = false;
  }
  return parts.length && !expectId ? parts : undefined;
}

/**
 * The repository's Trivy ignore entries, looked up as Trivy looks them up (pkg/result/ignore.go
 * and filter.go): by id (a finding tries only the entries of its ids, in file order), then the
 * entry's paths and purls. A vulnerability is tried with its Result's Target, then its PkgPath;
 * a misconfiguration with its ID, then its AVDID and aliases; a licence with its name at its
 * FilePath, and an expression whose every part is ignored is ignored too.
 */
class TrivyIgnores {
  readonly #byId = new Map<string, TrivyIgnoreEntry[]>();
  /** Ids compared without case: licence parts (SPDX ids are case-insensitive). */
  readonly #byFoldedId = new Map<string, TrivyIgnoreEntry[]>();
  readonly #parsePurl: ((text: string) => Purl) | undefined;
  /** Each entry's `paths` as matchers, made when a finding of its id first needs them (a scan without Trivy's reports compiles none). */
  readonly #paths = new Map<TrivyIgnoreEntry, Glob[]>();
  readonly #glob: GlobCompiler | undefined;

  constructor(entries: readonly TrivyIgnoreEntry[], matchers: PolicyMatchers = {}) {
    for (const entry of entries) {
      for (const [map, id] of [
        [this.#byId, entry.id],
        [this.#byFoldedId, entry.id.toLowerCase()],
      ] as const) {
        const same = map.get(id);
        if (same) same.push(entry);
        else map.set(id, [entry]);
      }
    }
    if (!matchers.parsePurl && entries.some((e) => e.purls)) throw new Error('TrivyIgnores: entries bound to purls need a purl parser');
    if (!matchers.glob && entries.some((e) => e.paths)) throw new Error('TrivyIgnores: entries bound to paths need a glob matcher');
    this.#glob = matchers.glob;
    this.#parsePurl = matchers.parsePurl;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The justification of a Trivy finding that an entry ignores. */
  justification(raw: RawFinding): string | undefined {
    const match = raw.trivy;
    const licence = raw.category === 'licence' ? (match?.ids?.[0] ?? raw.rule.replace(/^license:/, '')) : undefined;
    const ids = licence !== undefined ? [licence] : (match?.ids ?? [raw.rule]);
    const paths = match?.paths ?? [raw.location?.path ?? raw.target ?? ''];
    let read = false;
    let purl: Purl | null | undefined;
    const covered = (purls: readonly Purl[]) => {
      // a finding of another form of report (Trivy's SARIF) has its `name@version` at most
      if (!match) return packageMatches(purls, raw.package);
      if (!read) [read, purl] = [true, this.#purlOf(match.purl)];
      return this.#purlMatches(purls, purl);
    };
    // Trivy tries each path for every id of a vulnerability, each id at the one path of the others
    for (const p of paths)
      for (const id of ids) {
        const entry = this.#first(this.#byId.get(id), raw.category, p, covered);
        if (entry) return `${entry.file}: ${entry.statement ?? entry.id}`;
      }
    if (licence === undefined) return undefined;
    const parts = licenceParts(licence);
    if (!parts || parts.length < 2) return undefined;
    let last: TrivyIgnoreEntry | undefined;
    for (const part of parts) {
      last = this.#first(this.#byFoldedId.get(part.toLowerCase()), raw.category, paths[0]!, covered);
      if (!last) return undefined;
    }
    return `${last!.file}: All license components are individually ignored`;
  }

  #first(
    entries: readonly TrivyIgnoreEntry[] | undefined,
    category: Category,
    file: string,
    covered: (purls: readonly Purl[]) => boolean,
  ): TrivyIgnoreEntry | undefined {
    return entries?.find((e) => (!e.category || e.category === category) && this.#pathMatches(e, file) && (!e.purls || covered(e.purls)));
  }

  /** Whether a path matches one of an entry's `paths` globs; an entry without paths covers every path (Trivy's matchPath). */
  #pathMatches(entry: TrivyIgnoreEntry, file: string): boolean {
    if (!entry.paths) return true;
    let globs = this.#paths.get(entry);
    // Trivy's paths are doublestar globs: brace sets, no extglobs
    if (!globs) this.#paths.set(entry, (globs = entry.paths.map((p) => this.#glob!(p, 'doublestar'))));
    return globs.some((matches) => matches(file));
  }

  /**
   * Trivy's matchPURL: a finding without a package URL (undefined) is covered, as Trivy covers
   * one; one whose URL cannot be read (null) is not, since nothing tells its package.
   */
  #purlMatches(purls: readonly Purl[], target: Purl | null | undefined): boolean {
    if (target === undefined) return true;
    return target !== null && purls.some((p) => purlMatches(p, target));
  }

  #purlOf(text: string | undefined): Purl | null | undefined {
    if (!text) return undefined;
    try {
      return this.#parsePurl!(text);
    } catch {
      return null;
    }
  }
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
  readonly #byPath: { suppression: Suppression; glob: Glob }[] = [];
  readonly #skipPaths: { glob: string; matches: Glob }[];
  /** .semgrepignore's rules, compiled when the first Semgrep finding comes (a scan without Semgrep's reports compiles none). */
  #semgrepIgnore: ((file: string) => string | undefined) | undefined;
  readonly #glob: GlobCompiler | undefined;
  /** The .trivyignore entries, looked up by id: thousands of ignored ids against a hundred thousand findings. */
  readonly #trivyIgnores: TrivyIgnores;
  /**
   * What the globs decided for each file met: a report names one file in many findings, and each
   * glob costs a few microseconds (30,000 Semgrep results over 3,000 files and 20 patterns: 0.65 s, 0.14 s remembered).
   */
  readonly #skipOf = new Map<string, string | undefined>();
  readonly #semgrepIgnoredBy = new Map<string, string | undefined>();
  readonly #pathSuppressionOf = new Map<string, Suppression | undefined>();

  /** `matchers` (policyMatchers): what the policy's globs and purls need. */
  constructor(sink: ReportSink & { startReport(file: string): void }, policy: FindingPolicy, matchers: PolicyMatchers = {}) {
    this.#sink = sink;
    this.#policy = policy;
    const compile = (): GlobCompiler => {
      if (!matchers.glob) throw new Error('PolicySink: a policy with globs needs a glob compiler (policyMatchers)');
      return matchers.glob;
    };
    for (const s of policy.suppressions) {
      if (s.kind === 'rule') this.#byRule.set(s.value, s);
      else if (s.kind === 'fingerprint') this.#byFingerprint.set(s.value, s);
      else this.#byPath.push({ suppression: s, glob: pathGlob(compile(), s.value) });
    }
    this.#skipPaths = policy.skipPaths.map((glob) => ({ glob, matches: pathGlob(compile(), glob) }));
    this.#glob = policy.semgrepIgnore.length ? compile() : undefined;
    this.#trivyIgnores = new TrivyIgnores(policy.trivyIgnore, matchers);
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
    const skip =
      file && this.#skipPaths.length ? byFile(this.#skipOf, file, () => this.#skipPaths.find((s) => s.matches(file))?.glob) : undefined;
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
    if (raw.tool === 'trivy' && this.#trivyIgnores.size) {
      const ignored = this.#trivyIgnores.justification(raw);
      if (ignored) return ignored;
    }
    if (raw.tool === 'semgrep' && file && policy.semgrepIgnore.length) {
      const semgrepIgnore = (this.#semgrepIgnore ??= gitignore(this.#glob!, policy.semgrepIgnore));
      const pattern = byFile(this.#semgrepIgnoredBy, file, () => semgrepIgnore(file));
      if (pattern) return `.semgrepignore: ${pattern}`;
    }
    if (policy.ignoreUnfixed && raw.unfixed) return 'ignore-unfixed: no fixed version yet';
    const suppression =
      this.#byRule.get(raw.rule) ??
      (this.#byFingerprint.size ? (this.#byFingerprint.get(matchOf(raw)) ?? this.#byFingerprint.get(fingerprintOf(raw.key))) : undefined) ??
      (file && this.#byPath.length
        ? byFile(this.#pathSuppressionOf, file, () => this.#byPath.find((s) => s.glob(file))?.suppression)
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
