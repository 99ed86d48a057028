import path from 'node:path';
import {
  SARIF_LEVEL,
  SECURITY_SEVERITY,
  maxSeverity,
  severityRank,
  type Finding,
  type Location,
  type Severity,
  type ToolInfo,
} from './model.ts';
import { isRepositoryPath, normalisePath, toUri } from './paths.ts';
import { TextFile } from './text-file.ts';

/** GitHub code scanning's limits for one uploaded SARIF file. */
export const GITHUB_LIMITS = { runs: 20, resultsPerRun: 25_000, tagsPerRule: 10, gzipBytes: 10 * 1024 * 1024, messageChars: 2000 } as const;

export interface SarifOptions {
  /** The category prefix: each run gets `automationDetails.id` `<prefix>/<tool>/`. */
  categoryPrefix: string;
  /** Repository root: findings without a location are placed on their report file when it lies inside. */
  root: string;
  maxResultsPerRun?: number;
}

export interface SarifStats {
  runs: number;
  results: number;
  /** Results left out because a run had more than the limit (the least severe go first). */
  overLimit: number;
  /** Results left out because they have no file location and their report is outside the repository. */
  unlocated: number;
  /** Runs left out because there were more than 20 tools. */
  droppedRuns: string[];
}

interface RuleEntry {
  index: number;
  finding: Finding;
  severity: Severity;
}

const sanitizeId = (value: string) =>
  value
    .replace(/[^A-Za-z0-9._/-]+/g, '-')
    .replace(/^\/+|\/+$/g, '')
    .replace(/\/{2,}/g, '/');

const validUri = (value: string | undefined) => (value && URL.canParse(value) ? value : undefined);

/** A location's region as JSON text (written for every result, so without an intermediate object). */
function regionJson(location: Location): string {
  // GitHub rejects line or column 0: start at 1, and drop an end that lies before the start.
  const startLine = Math.max(1, location.startLine ?? 1);
  let text = `{"startLine":${startLine}`;
  const startColumn = location.startColumn === undefined ? undefined : Math.max(1, location.startColumn);
  if (startColumn !== undefined) text += `,"startColumn":${startColumn}`;
  const endLine = location.endLine !== undefined && location.endLine >= startLine ? location.endLine : undefined;
  if (endLine !== undefined) text += `,"endLine":${endLine}`;
  if (location.endColumn !== undefined && location.endColumn >= 1) {
    const sameLine = (endLine ?? startLine) === startLine;
    if (!sameLine || location.endColumn >= (startColumn ?? 1)) text += `,"endColumn":${location.endColumn}`;
  }
  return `${text}}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Where a result goes: its own location, else its report file when that lies in the repository. */
function placement(finding: Finding, root: string, reports: Map<string, Location | undefined>): Location | undefined {
  if (finding.location) return finding.location;
  if (!reports.has(finding.report)) {
    const report = normalisePath(path.resolve(finding.report), root);
    reports.set(finding.report, isRepositoryPath(report) ? { path: report, startLine: 1 } : undefined);
  }
  return reports.get(finding.report);
}

/** SARIF URIs of paths, computed once per path (results repeat the same files). */
const uris = new Map<string, string>();
function uriOf(p: string): string {
  let uri = uris.get(p);
  if (uri === undefined) {
    uri = JSON.stringify(toUri(p));
    if (uris.size < 100_000) uris.set(p, uri);
  }
  return uri;
}

function ruleJson(id: string, entry: RuleEntry): string {
  const f = entry.finding;
  const tags = ['security', f.category, ...f.cwe.map((c) => `external/cwe/${c.toLowerCase()}`)].slice(0, GITHUB_LIMITS.tagsPerRule);
  const helpUri = validUri(f.helpUri);
  return JSON.stringify({
    id,
    name: id,
    shortDescription: { text: truncate(f.title || id, 1000) },
    ...(helpUri ? { helpUri } : {}),
    help: { text: `${f.title || id}${helpUri ? `\n${helpUri}` : ''}` },
    defaultConfiguration: { level: SARIF_LEVEL[entry.severity] },
    properties: { tags, 'security-severity': SECURITY_SEVERITY[entry.severity], precision: 'high' },
  });
}

const json = JSON.stringify;

/** One result, written as text directly (it is the bulk of the file: up to 25,000 per run). */
function resultJson(f: Finding, where: Location, ruleIndex: number): string {
  const message = truncate(f.message || f.title || f.rule, GITHUB_LIMITS.messageChars);
  const properties = `"severity":"${f.severity}"${f.tools.length > 1 ? `,"tools":${json(f.tools)}` : ''}${f.target ? `,"target":${json(f.target)}` : ''}${f.package ? `,"package":${json(f.package)}` : ''}`;
  return (
    `{"ruleId":${json(f.rule)},"ruleIndex":${ruleIndex},"level":"${SARIF_LEVEL[f.severity]}","message":{"text":${json(message)}},` +
    `"locations":[{"physicalLocation":{"artifactLocation":{"uri":${uriOf(where.path)}},"region":${regionJson(where)}}}],` +
    `"partialFingerprints":{"pipelineToolkitFinding/v1":"${f.fingerprint}"},` +
    `${f.suppressed ? '"suppressions":[{"kind":"external","status":"accepted"}],' : ''}"properties":{${properties}}}`
  );
}

/**
 * Writes one SARIF 2.1.0 file that GitHub code scanning accepts: one run per tool (a finding
 * reported by several tools goes to the run of the first), each with its own driver name and
 * `automationDetails.id`; at most 20 runs and 25,000 results per run, keeping the most severe;
 * lines and columns from 1; repository-relative URIs; unique rule ids; `results` always present.
 * Findings must come sorted most severe first (Aggregator.findings()). Streams to the file.
 */
export async function writeSarif(
  file: string,
  findings: readonly Finding[],
  tools: readonly ToolInfo[],
  options: SarifOptions,
): Promise<SarifStats> {
  const limit = Math.min(options.maxResultsPerRun ?? GITHUB_LIMITS.resultsPerRun, GITHUB_LIMITS.resultsPerRun);
  const prefix = sanitizeId(options.categoryPrefix) || 'security-scan';
  // findings only: a result's placement is looked up again when it is written (it is cached per report)
  const byTool = new Map<string, Finding[]>(tools.map((t) => [t.id, []]));
  const stats: SarifStats = { runs: 0, results: 0, overLimit: 0, unlocated: 0, droppedRuns: [] };
  const reports = new Map<string, Location | undefined>();
  for (const f of findings) {
    const where = placement(f, options.root, reports);
    if (!where) {
      stats.unlocated++;
      continue;
    }
    const list = byTool.get(f.tools[0]!) ?? byTool.set(f.tools[0]!, []).get(f.tools[0]!)!;
    if (list.length < limit) list.push(f);
    else stats.overLimit++;
  }
  const worst = (id: string) => Math.max(-1, ...(byTool.get(id) ?? []).slice(0, 1).map((f) => severityRank(f.severity)));
  const runTools = [...byTool.keys()];
  if (runTools.length > GITHUB_LIMITS.runs) runTools.sort((a, b) => worst(b) - worst(a));
  for (const dropped of runTools.splice(GITHUB_LIMITS.runs)) {
    stats.droppedRuns.push(dropped);
    stats.overLimit += byTool.get(dropped)?.length ?? 0;
  }
  const info = new Map(tools.map((t) => [t.id, t]));

  const out = new TextFile(file);
  const write = (chunk: string) => out.write(chunk);
  write('{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[');
  for (const [runIndex, id] of runTools.entries()) {
    const results = byTool.get(id) ?? [];
    const rules = new Map<string, RuleEntry>();
    for (const finding of results) {
      const rule = rules.get(finding.rule);
      if (rule) rule.severity = maxSeverity(rule.severity, finding.severity);
      else rules.set(finding.rule, { index: rules.size, finding, severity: finding.severity });
    }
    const tool = info.get(id) ?? { id, name: id };
    const driver = {
      name: tool.name,
      ...(tool.version ? { version: tool.version } : {}),
      ...(validUri(tool.informationUri) ? { informationUri: tool.informationUri } : {}),
    };
    const automation = JSON.stringify({ id: `${prefix}/${sanitizeId(id) || 'tool'}/` });
    write(`${runIndex ? ',' : ''}{"tool":{"driver":${JSON.stringify(driver).slice(0, -1)},"rules":[`);
    let first = true;
    for (const [ruleId, entry] of rules) {
      write(`${first ? '' : ','}${ruleJson(ruleId, entry)}`);
      first = false;
    }
    write(`]}},"automationDetails":${automation},"columnKind":"utf16CodeUnits","results":[`);
    for (let i = 0; i < results.length; i++) {
      const finding = results[i]!;
      const where = placement(finding, options.root, reports)!;
      write(`${i ? ',' : ''}${resultJson(finding, where, rules.get(finding.rule)!.index)}\n`);
    }
    write(']}');
    stats.runs++;
    stats.results += results.length;
  }
  write(']}\n');
  out.close();
  return stats;
}
