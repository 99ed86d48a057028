import { arr, int, obj, str, strings, ReportError, type JsonObject } from '../json.ts';
import { severityFromLabel, type Location } from '../model.ts';
import { isRepositoryPath, normalisePath } from '../paths.ts';
import { cveIds, firstLine, type ParseContext, type RawFinding } from '../sink.ts';

export const TRIVY = { id: 'trivy', name: 'Trivy', informationUri: 'https://github.com/aquasecurity/trivy' } as const;

/** Result classes whose Target is a file of the scanned tree (not an image or an OS). */
const FILE_CLASSES = new Set(['lang-pkgs', 'config', 'secret', 'license-file']);
const SCANNED_TREES = new Set(['filesystem', 'repository', '']);

/** Trivy's dedupe keys (docs/security-scan.md). */
export const trivyKeys = {
  vulnerability: (id: string, pkg: string, target: string) => `trivy|vuln|${id}|${pkg}|${target}`,
  misconfiguration: (id: string, target: string, line: number | undefined) => `trivy|misconf|${id}|${target}|${line ?? 0}`,
  secret: (rule: string, target: string, line: number | undefined) => `trivy|secret|${rule}|${target}|${line ?? 0}`,
  licence: (name: string, pkg: string, target: string) => `trivy|license|${name}|${pkg}|${target}`,
};

interface Scope {
  ctx: ParseContext;
  /** The Result's Target as Trivy wrote it (the key part). */
  target: string;
  /** A repository file, when the Target is one. */
  file?: string;
  /** What was scanned, when the Target is not a file. */
  subject?: string;
  /** Package start/end lines by PkgID (lock files list where each package is declared). */
  packageLines: Map<string, Location>;
}

/** Targets are relative to the scanned path (ArtifactName), which may itself be the file. */
function treePath(artifact: string, target: string): string {
  if (!artifact || artifact === '.') return target;
  if (artifact === target || artifact.endsWith(`/${target}`)) return artifact;
  return `${artifact}/${target}`;
}

/** What a Trivy report scanned: Results' targets are relative to it. */
export interface TrivyArtifact {
  ArtifactName?: unknown;
  ArtifactType?: unknown;
}

function scopeOf(result: JsonObject, report: TrivyArtifact, ctx: ParseContext): Scope {
  const target = str(result['Target']) ?? str(report.ArtifactName) ?? '';
  const artifact = str(report.ArtifactName) ?? '';
  const inTree = SCANNED_TREES.has(str(report.ArtifactType) ?? '') && FILE_CLASSES.has(str(result['Class']) ?? '');
  const packageLines = new Map<string, Location>();
  let file: string | undefined;
  if (inTree && target) {
    file = normalisePath(treePath(artifact, target), ctx.root);
    for (const item of arr(result['Packages'])) {
      const pkg = obj(item);
      const first = obj(arr(pkg?.['Locations'])[0]);
      const id = str(pkg?.['ID']);
      if (id && first) packageLines.set(id, { path: file, startLine: int(first['StartLine']), endLine: int(first['EndLine']) });
    }
  }
  const subject = file ? undefined : target.startsWith(artifact) || !artifact ? target : `${artifact}: ${target}`;
  return { ctx, target, file, subject, packageLines };
}

function placed(scope: Scope, startLine?: number, endLine?: number): { location?: Location; target?: string } {
  if (scope.file && isRepositoryPath(scope.file)) return { location: { path: scope.file, startLine, endLine } };
  return { target: scope.subject ?? scope.file ?? scope.target };
}

function vulnerability(v: JsonObject, scope: Scope, suppressed: boolean): RawFinding | undefined {
  const id = str(v['VulnerabilityID']);
  if (!id) return undefined;
  const name = str(v['PkgName']) ?? str(v['PkgID']) ?? 'unknown-package';
  const pkg = `${name}@${str(v['InstalledVersion']) ?? ''}`;
  const fixed = str(v['FixedVersion']);
  const title = str(v['Title']) ?? id;
  const lines = scope.packageLines.get(str(v['PkgID']) ?? '');
  return {
    tool: TRIVY.id,
    key: trivyKeys.vulnerability(id, pkg, scope.target),
    rule: id,
    title: firstLine(title),
    message: `${id} in ${pkg}${fixed ? ` (fixed in ${fixed})` : ' (no fix yet)'}: ${firstLine(title, 300)}`,
    severity: severityFromLabel(v['Severity']) ?? 'INFO',
    category: 'vulnerability',
    ...(lines ? { location: lines } : placed(scope)),
    package: pkg,
    suppressed,
    cwe: strings(v['CweIDs']),
    cve: cveIds([id]),
    helpUri: str(v['PrimaryURL']),
  };
}

function misconfiguration(m: JsonObject, scope: Scope, suppressed: boolean): RawFinding | undefined {
  const id = str(m['ID']) ?? str(m['AVDID']);
  const status = str(m['Status']);
  if (!id || status === 'PASS') return undefined;
  const cause = obj(m['CauseMetadata']);
  const startLine = int(cause?.['StartLine']);
  const title = str(m['Title']) ?? id;
  return {
    tool: TRIVY.id,
    key: trivyKeys.misconfiguration(id, scope.target, startLine),
    rule: id,
    title: firstLine(title),
    message: `${id}: ${firstLine(str(m['Message']) ?? title, 300)}${str(m['Resolution']) ? ` Resolution: ${firstLine(str(m['Resolution'])!, 200)}` : ''}`,
    severity: severityFromLabel(m['Severity']) ?? 'INFO',
    category: 'misconfiguration',
    ...placed(scope, startLine, int(cause?.['EndLine'])),
    suppressed: suppressed || status === 'EXCEPTION',
    cwe: [],
    cve: [],
    helpUri: str(m['PrimaryURL']),
  };
}

function secret(s: JsonObject, scope: Scope, suppressed: boolean): RawFinding | undefined {
  const rule = str(s['RuleID']);
  if (!rule) return undefined;
  const startLine = int(s['StartLine']);
  const title = str(s['Title']) ?? rule;
  // Match and Code lines are never read: Trivy masks the secret there, but nearby lines are shown raw.
  return {
    tool: TRIVY.id,
    key: trivyKeys.secret(rule, scope.target, startLine),
    rule,
    title: firstLine(title),
    message: `Secret detected by rule ${rule} (${firstLine(title, 120)}). Rotate it and remove it from the code and the history.`,
    severity: severityFromLabel(s['Severity']) ?? 'INFO',
    category: 'secret',
    ...placed(scope, startLine, int(s['EndLine'])),
    suppressed,
    cwe: ['CWE-798'],
    cve: [],
  };
}

function licence(l: JsonObject, scope: Scope, suppressed: boolean): RawFinding | undefined {
  const name = str(l['Name']);
  if (!name) return undefined;
  const pkg = str(l['PkgName']) ?? str(l['FilePath']) ?? '';
  return {
    tool: TRIVY.id,
    key: trivyKeys.licence(name, pkg, scope.target),
    rule: `license:${name}`,
    title: `Licence ${name} (${str(l['Category']) ?? 'unknown'})`,
    message: `${pkg ? `${pkg} is under` : 'File under'} licence ${name} (category ${str(l['Category']) ?? 'unknown'}).`,
    severity: severityFromLabel(l['Severity']) ?? 'INFO',
    category: 'licence',
    ...placed(scope),
    ...(pkg ? { package: pkg } : {}),
    suppressed,
    cwe: [],
    cve: [],
    helpUri: str(l['Link']),
  };
}

const READERS: Record<string, { list: string; read: (item: JsonObject, scope: Scope, suppressed: boolean) => RawFinding | undefined }> = {
  vulnerability: { list: 'Vulnerabilities', read: vulnerability },
  misconfiguration: { list: 'Misconfigurations', read: misconfiguration },
  secret: { list: 'Secrets', read: secret },
  license: { list: 'Licenses', read: licence },
};

/** One entry of a Trivy report's Results: its vulnerabilities, misconfigurations, secrets, licences and modified (suppressed) findings. */
export function readTrivyResult(item: unknown, artifact: TrivyArtifact, ctx: ParseContext): void {
  const result = obj(item);
  if (!result) return;
  const scope = scopeOf(result, artifact, ctx);
  for (const reader of Object.values(READERS)) {
    for (const entry of arr(result[reader.list])) {
      const finding = obj(entry) && reader.read(obj(entry)!, scope, false);
      if (finding) ctx.sink.finding(finding);
    }
  }
  // `--show-suppressed`: findings ignored by .trivyignore or VEX, kept as suppressed.
  for (const entry of arr(result['ExperimentalModifiedFindings'])) {
    const modified = obj(entry);
    const reader = READERS[str(modified?.['Type']) ?? ''];
    const inner = obj(modified?.['Finding']);
    const finding = reader && inner && reader.read(inner, scope, true);
    if (finding) ctx.sink.finding(finding);
  }
}

/** The report apart from its Results: the schema version (must be 2) and Trivy's version. */
export function readTrivyEnvelope(report: JsonObject, ctx: ParseContext): void {
  if (report['SchemaVersion'] !== 2)
    throw new ReportError(
      ctx.file,
      `Trivy JSON SchemaVersion ${JSON.stringify(report['SchemaVersion'] ?? null)} is not supported; expected 2`,
    );
  ctx.sink.tool({ ...TRIVY, version: str(obj(report['Trivy'])?.['Version']) });
}

/** Trivy `--format json` (SchemaVersion 2). */
export function parseTrivyJson(doc: unknown, ctx: ParseContext): void {
  const report = obj(doc);
  if (!report || report['SchemaVersion'] === undefined)
    throw new ReportError(ctx.file, 'expected a Trivy JSON report (an object with SchemaVersion and Results)');
  readTrivyEnvelope(report, ctx);
  for (const item of arr(report['Results'])) readTrivyResult(item, report, ctx);
}
