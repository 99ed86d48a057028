import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// CommonJS modules: their classes are on `.default` both for TypeScript (NodeNext) and at run time.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;
import { repoRoot } from '@pipeline-toolkit/testing';
import { Aggregator, loadReport, type AggregateJob, type ReportKind } from '../src/index.ts';
import type { Split } from '../src/parallel/split.ts';

export const fixtures = path.resolve(repoRoot, 'test/fixtures/scanners');
export const fixture = (name: string) => path.join(fixtures, name);

/**
 * An aggregation job over `sources` (root `dir`) that writes into `dir/name`: divided between two
 * threads at `split`, else read in one thread whatever its size.
 */
export function jobOf(sources: AggregateJob['sources'], dir: string, name: string, split?: Split): AggregateJob {
  return {
    sources,
    root: dir,
    gitleaksIgnore: [],
    failOn: 'none',
    categoryPrefix: 'ci',
    sarifFile: path.join(dir, name, 'out.sarif'),
    findingsFile: path.join(dir, name, 'out.findings.json'),
    parallelFrom: split ? 0 : Infinity,
    ...(split ? { split } : {}),
  };
}

/** Loads reports into a fresh Aggregator, or into `agg` after what it holds (paths relative to `root`). */
export async function aggregate(files: [string, ReportKind][], root = '/work/repo', agg = new Aggregator()): Promise<Aggregator> {
  for (const [file, kind] of files) {
    agg.startReport(fixture(file));
    await loadReport(fixture(file), kind, { root, sink: agg });
  }
  return agg;
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

let validators: { oasis: Validate; codeql: Validate } | undefined;

/** SARIF validators for both schema copies in fixtures/schema (OASIS draft-04 and codeql-action's 2020-12 port). */
export function sarifValidators(): { oasis: Validate; codeql: Validate } {
  if (validators) return validators;
  const load = (name: string) => JSON.parse(readFileSync(fixture(`schema/${name}`), 'utf8')) as Record<string, unknown>;
  const oasis = new AjvDraft04({ strict: false, allErrors: true });
  addFormats(oasis as never);
  // codeql-action's port puts region's anyOf under properties (its validator is lenient): skip the meta-schema check.
  const codeql = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(codeql as never);
  validators = {
    oasis: oasis.compile(load('sarif-schema-2.1.0.json')),
    codeql: codeql.compile(load('sarif-schema-2.1.0.codeql-action.json')),
  };
  return validators;
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules?: { id: string; properties?: { tags?: string[]; 'security-severity'?: string } }[] } };
    automationDetails?: { id?: string };
    results?: {
      ruleId?: string;
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: Record<string, number> } }[];
    }[];
  }[];
}

/**
 * GitHub code scanning's upload rules, checked independently of the writer: unique run identity
 * (driver name + category), at most 20 runs, 25,000 results per run and 20 tags per rule,
 * `results` present, unique rule ids, a location on every result, no line or column 0,
 * numeric security-severity in 0–10, relative or file URIs. Returns the violations.
 */
export function githubUploadProblems(log: SarifLog): string[] {
  const problems: string[] = [];
  if (log.version !== '2.1.0') problems.push(`version ${log.version}`);
  if (log.runs.length > 20) problems.push(`${log.runs.length} runs`);
  const identities = new Set<string>();
  for (const run of log.runs) {
    const category = run.automationDetails?.id?.replace(/\/[^/]*$/, '') ?? '';
    const identity = `${run.tool.driver.name}|${category}`;
    if (!run.tool.driver.name) problems.push('empty driver name');
    if (identities.has(identity)) problems.push(`duplicate run identity ${identity}`);
    identities.add(identity);
    if (!Array.isArray(run.results)) problems.push(`${identity}: results missing`);
    if ((run.results?.length ?? 0) > 25_000) problems.push(`${identity}: ${run.results?.length} results`);
    const ids = new Set<string>();
    for (const rule of run.tool.driver.rules ?? []) {
      if (ids.has(rule.id)) problems.push(`${identity}: duplicate rule ${rule.id}`);
      ids.add(rule.id);
      if ((rule.properties?.tags?.length ?? 0) > 20) problems.push(`${rule.id}: too many tags`);
      const score = rule.properties?.['security-severity'];
      if (score !== undefined && !(/^\d+(\.\d+)?$/.test(score) && Number(score) <= 10))
        problems.push(`${rule.id}: security-severity ${score}`);
    }
    for (const result of run.results ?? []) {
      const physical = result.locations?.[0]?.physicalLocation;
      if (!physical?.artifactLocation?.uri) problems.push(`${identity}: result ${result.ruleId} without location`);
      for (const [k, v] of Object.entries(physical?.region ?? {}))
        if (typeof v === 'number' && v < 1) problems.push(`${result.ruleId}: ${k} ${v}`);
      const uri = physical?.artifactLocation?.uri ?? '';
      if (/^[a-z]+:/i.test(uri) && !uri.startsWith('file:///')) problems.push(`${result.ruleId}: uri ${uri}`);
      if (!ids.has(result.ruleId ?? '')) problems.push(`${identity}: result rule ${result.ruleId} not among the rules`);
    }
  }
  return problems;
}
