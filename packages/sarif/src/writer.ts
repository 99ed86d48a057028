import path from 'node:path';
import { SARIF_LEVEL, SECURITY_SEVERITY, type Finding, type Location, type Severity, type ToolInfo } from './model.ts';
import { isRepositoryPath, normalisePath, toUri } from './paths.ts';
import { truncate } from './sink.ts';

/**
 * SARIF text for GitHub code scanning: results and rules are written as text (output.ts puts them
 * together). Lines and columns start at 1, URIs are repository-relative, messages within limits.
 */

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

/** What a rule's entry in `tool.driver.rules` is written from: its first result. */
export type RuleSource = Pick<Finding, 'title' | 'helpUri' | 'category' | 'cwe'>;

export const sanitizeId = (value: string) =>
  value
    .replace(/[^A-Za-z0-9._/-]+/g, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/|\/$/g, '')
    .replace(/\/{2,}/g, '/');

const validUri = (value: string | undefined) => (value && URL.canParse(value) ? value : undefined);

/** A location's SARIF region. GitHub rejects line or column 0: it starts at 1, and an end that lies before the start is dropped. */
function regionOf(location: Location): SarifRegion {
  const startLine = Math.max(1, location.startLine ?? 1);
  const startColumn = location.startColumn === undefined ? undefined : Math.max(1, location.startColumn);
  const endLine = location.endLine !== undefined && location.endLine >= startLine ? location.endLine : undefined;
  let endColumn = location.endColumn !== undefined && location.endColumn >= 1 ? location.endColumn : undefined;
  if (endColumn !== undefined && (endLine ?? startLine) === startLine && endColumn < (startColumn ?? 1)) endColumn = undefined;
  return { startLine, startColumn, endLine, endColumn };
}

interface SarifRegion {
  startLine: number;
  startColumn: number | undefined;
  endLine: number | undefined;
  endColumn: number | undefined;
}

/** Where a result goes: its own location, else its report file when that lies in the repository. */
export function placement(finding: Finding, root: string, reports: Map<string, Location | undefined>): Location | undefined {
  if (finding.location) return finding.location;
  if (!reports.has(finding.report)) {
    const report = normalisePath(path.resolve(finding.report), root);
    reports.set(finding.report, isRepositoryPath(report) ? { path: report, startLine: 1 } : undefined);
  }
  return reports.get(finding.report);
}

/** Characters that encodeURIComponent leaves as they are (and the path separator). */
const PLAIN_PATH = /^[\w.!~*'()/-]+$/;

/** A path's SARIF URI; most paths are plain and need no encoding. */
function uriOf(p: string): string {
  return PLAIN_PATH.test(p) && isRepositoryPath(p) ? p : toUri(p);
}

export function ruleJson(id: string, f: RuleSource, severity: Severity): string {
  const tags = ['security', f.category, ...f.cwe.map((c) => `external/cwe/${c.toLowerCase()}`)].slice(0, GITHUB_LIMITS.tagsPerRule);
  const helpUri = validUri(f.helpUri);
  return JSON.stringify({
    id,
    name: id,
    shortDescription: { text: truncate(f.title || id, 1000) },
    ...(helpUri ? { helpUri } : {}),
    help: { text: `${f.title || id}${helpUri ? `\n${helpUri}` : ''}` },
    defaultConfiguration: { level: SARIF_LEVEL[severity] },
    properties: { tags, 'security-severity': SECURITY_SEVERITY[severity], precision: 'high' },
  });
}

/** A run's `tool.driver` (without its rules). */
export function driverJson(tool: ToolInfo): string {
  return JSON.stringify({
    name: tool.name,
    ...(tool.version ? { version: tool.version } : {}),
    ...(validUri(tool.informationUri) ? { informationUri: tool.informationUri } : {}),
  });
}

/**
 * A finding's entry in the findings file (its largest output): one JSON.stringify of an object
 * with exactly the file's fields, in their order; absent ones are undefined, which JSON leaves
 * out. Faster than assembling the text from cached pieces (a rope that writing then has to walk),
 * and nothing else a finding object may carry gets in.
 */
export function findingJson(f: Finding): string {
  return JSON.stringify({
    tools: f.tools,
    rule: f.rule,
    title: f.title,
    message: f.message,
    severity: f.severity,
    category: f.category,
    location: f.location,
    target: f.target,
    package: f.package,
    fingerprint: f.fingerprint,
    match: f.match,
    suppressed: f.suppressed,
    justification: f.justification,
    cwe: f.cwe,
    cve: f.cve,
    helpUri: f.helpUri,
    report: f.report,
  });
}

/** A suppressed result's `suppressions` (kind external: decided outside the code), with the reason when one was given. */
function suppressionsOf(justification: string | undefined) {
  return [{ kind: 'external', status: 'accepted', justification: justification ? truncate(justification, 1000) : undefined }];
}

/**
 * One result: one JSON.stringify of an object with exactly the result's fields, in their order
 * (absent ones undefined), like a findings-file entry: a flat text, where one put together from
 * pieces is a rope that writing flattens into a copy (up to 25,000 results per run).
 * `ruleSeverity` is its rule's: the highest of the rule's results (GitHub takes an alert's security
 * severity from its rule). A result less severe than its rule carries its own `security-severity`,
 * which SARIF readers take before the rule's (ADR-043).
 */
export function resultJson(f: Finding, where: Location, ruleIndex: number, ruleSeverity: Severity): string {
  return JSON.stringify({
    ruleId: f.rule,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: truncate(f.message || f.title || f.rule, GITHUB_LIMITS.messageChars) },
    locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(where.path) }, region: regionOf(where) } }],
    partialFingerprints: { 'pipelineToolkitFinding/v1': f.fingerprint, 'pipelineToolkitMatch/v1': f.match },
    suppressions: f.suppressed ? suppressionsOf(f.justification) : undefined,
    properties: {
      severity: f.severity,
      'security-severity': f.severity === ruleSeverity ? undefined : SECURITY_SEVERITY[f.severity],
      tools: f.tools.length > 1 ? f.tools : undefined,
      target: f.target || undefined,
      package: f.package || undefined,
    },
  });
}
