import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExternalError, own } from '@pipeline-toolkit/core';
import { arr, int, obj, str, strings, ReportError, type JsonObject } from '../json.ts';
import { maxSeverity, severityFromLabel, severityFromScore, type Location, type Severity } from '../model.ts';
import { isRepositoryPath, normalisePath, treeFilesOf } from '../paths.ts';
import {
  cveIds,
  cweIds,
  firstLine,
  snippetHash,
  unrecognisedSeverity,
  type ParseContext,
  type RawFinding,
  type TrivyMatch,
} from '../sink.ts';
import type { RunOptions, Scanner, ScannerDeps } from './scanner.ts';
import { writeDiffTree } from '../diff-tree.ts';

export const TRIVY = { id: 'trivy', name: 'Trivy', informationUri: 'https://github.com/aquasecurity/trivy' } as const;

/**
 * Result classes whose Target is a file of the scanned tree (not an image or an OS). A
 * `license-file` Result's Target is "Loose File License(s)": each of its licences names its file.
 */
const FILE_CLASSES = new Set(['lang-pkgs', 'config', 'secret']);
const SCANNED_TREES = new Set(['filesystem', 'repository', '']);
/**
 * Packages Trivy gathers into one Result per language (its AggregatingTypes: installed jars,
 * Node.js, Python, Ruby and Conda packages): the Target is the language ("Java", "Node.js"), not a
 * file, and each vulnerability's PkgPath is the file it was found in.
 */
const AGGREGATED_TYPES = new Set(['jar', 'node-pkg', 'python-pkg', 'gemspec', 'conda-pkg']);
/**
 * A downloaded Terraform module's file, as Trivy names it: by the module's source address
 * (`github.com/org/module?ref=v5.2.0/main.tf`, `git::https://…`), which is no file of the repository.
 */
const REMOTE_MODULE =
  /^(?:[a-z0-9]{1,16}::|https?:\/\/|(?:github\.com|bitbucket\.org|gitlab\.com|registry\.terraform\.io|app\.terraform\.io)\/)|\?ref=/i;
/**
 * Trivy's Types for a Terraform plan, JSON (`terraform show -json`) and binary: their Targets are
 * the HCL files Trivy renders from the plan (`main.tf`), which exist nowhere, and their lines are
 * the rendering's.
 */
const TERRAFORM_PLANS = new Set(['terraformplan', 'terraformplan-snapshot']);
/** Where a Target names a file inside an archive, as Trivy writes it: `<archive>:<path in it>` (a Helm chart's `.tgz`). */
const ARCHIVE_END = /\.(?:tgz|tar\.gz|tar):/i;
/** What `trivy repo` scanned when given a web address: the Targets are paths of that repository. */
const WEB_ADDRESS = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;

/** Trivy's dedupe keys (docs/security-scan.md). */
export const trivyKeys = {
  vulnerability: (id: string, pkg: string, target: string) => `trivy|vuln|${id}|${pkg}|${target}`,
  misconfiguration: (id: string, target: string, line: number | undefined) => `trivy|misconf|${id}|${target}|${line ?? 0}`,
  secret: (rule: string, target: string, line: number | undefined) => `trivy|secret|${rule}|${target}|${line ?? 0}`,
  licence: (name: string, pkg: string, target: string) => `trivy|license|${name}|${pkg}|${target}`,
};

/**
 * Trivy's own label (UNKNOWN is INFO); when it is missing or not a label, the highest CVSS score
 * of any source, else MEDIUM — never INFO by default. An unrecognised label is listed as a warning.
 */
function trivySeverity(item: JsonObject, ctx: ParseContext): Severity {
  const label = severityFromLabel(item['Severity']);
  if (label) return label;
  let best: Severity | undefined;
  for (const source of Object.values(obj(item['CVSS']) ?? {})) {
    const score = severityFromScore(obj(source)?.['V3Score'] ?? obj(source)?.['V40Score'] ?? obj(source)?.['V2Score']);
    if (score) best = best ? maxSeverity(best, score) : score;
  }
  if (item['Severity'] !== undefined)
    unrecognisedSeverity(ctx, 'Trivy', 'Severity', item['Severity'], best ? 'CVSS' : 'the default (MEDIUM)');
  return best ?? 'MEDIUM';
}

interface Scope {
  ctx: ParseContext;
  /** The Result's Target as Trivy wrote it (the key part). */
  target: string;
  /** What was scanned, when it is a tree of files (the repository, a folder or a file of it): PkgPaths are relative to it. */
  tree?: string;
  /** A repository file, when the Target is one (or is in one: the archive of `<archive>:<path>`). */
  file?: string;
  /** The path inside `file`, when the Target is a file inside an archive: its lines are not the archive's. */
  inArchive?: string;
  /** What was scanned, when the Target is not a file. */
  subject?: string;
  /** Set when the Target is Trivy's rendering of a Terraform plan (TERRAFORM_PLANS): `file` is the plan, without lines. */
  plan?: true;
  /** Package start/end lines by PkgID (lock files list where each package is declared). */
  packageLines: Map<string, Location>;
  /** What Trivy's ignore files match a finding of the Result by, when nothing of the finding's own adds to it: its Target. */
  match: TrivyMatch;
}

/** The archive and the path in it of a Target `<archive>.tgz:<path>` (no pattern over the Target: it may be megabytes). */
function inArchive(target: string): { archive: string; path: string } | undefined {
  const end = ARCHIVE_END.exec(target);
  if (!end || end.index === 0) return undefined;
  const inner = target.slice(end.index + end[0].length);
  return inner && !/[\n\r]/.test(inner) ? { archive: target.slice(0, end.index + end[0].length - 1), path: inner } : undefined;
}

/** Targets are relative to the scanned path (ArtifactName), which may itself be the file; an absolute one is not. */
function treePath(artifact: string, target: string): string {
  if (!artifact || artifact === '.' || WEB_ADDRESS.test(artifact) || path.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target))
    return target;
  if (artifact === target || artifact.endsWith(`/${target}`)) return artifact;
  return `${artifact}/${target}`;
}

/** What a Trivy report scanned: Results' targets are relative to it. */
export interface TrivyArtifact {
  ArtifactName?: unknown;
  ArtifactType?: unknown;
}

function scopeOf(result: JsonObject, report: TrivyArtifact, ctx: ParseContext, matchTarget?: string): Scope {
  const target = str(result['Target']) ?? str(report.ArtifactName) ?? '';
  const artifact = str(report.ArtifactName) ?? '';
  const match = { paths: [matchTarget ?? str(result['Target']) ?? ''] };
  if (TERRAFORM_PLANS.has(str(result['Type']) ?? '')) return planScope(target, artifact, report, ctx, match);
  // Trivy before 0.20 wrote no Class: a Target without spaces (`node-app/package-lock.json`) is a file.
  const klass = str(result['Class']) ?? (/^[^\s()]+$/.test(target) && 'Type' in result ? 'lang-pkgs' : '');
  const tree = SCANNED_TREES.has(str(report.ArtifactType) ?? '') ? artifact : undefined;
  const aggregated = klass === 'lang-pkgs' && AGGREGATED_TYPES.has(str(result['Type']) ?? '');
  const inTree = tree !== undefined && FILE_CLASSES.has(klass) && !aggregated;
  const archive = inArchive(target);
  const packageLines = new Map<string, Location>();
  let file: string | undefined;
  if (inTree && target) {
    file = normalisePath(treePath(artifact, archive?.archive ?? target), ctx.root);
    for (const item of arr(result['Packages'])) {
      const pkg = obj(item);
      const first = obj(arr(pkg?.['Locations'])[0]);
      const id = str(pkg?.['ID']);
      if (id && first) packageLines.set(id, { path: file, startLine: int(first['StartLine']), endLine: int(first['EndLine']) });
    }
  }
  const subject = file ? undefined : target.startsWith(artifact) || !artifact || artifact === '.' ? target : `${artifact}: ${target}`;
  return {
    ctx,
    target,
    tree,
    file,
    inArchive: file && archive ? archive.path : undefined,
    subject,
    packageLines,
    match,
  };
}

/**
 * A Terraform plan's Result: on the plan file, without lines, when the scanned path is a file of
 * the repository (`trivy config tfplan.json`); else, a folder scanned, on no file (which of its
 * plans Trivy read, the report does not say), named by what was scanned.
 */
function planScope(target: string, artifact: string, report: TrivyArtifact, ctx: ParseContext, match: TrivyMatch): Scope {
  const scanned = SCANNED_TREES.has(str(report.ArtifactType) ?? '') ? artifact : '';
  const { location, target: subject } = terraformPlanPlace(scanned, ctx);
  return { ctx, target, file: location?.path, subject, packageLines: new Map(), match, plan: true };
}

/**
 * Where a finding of a Terraform plan is, from what Trivy scanned (`scanned`, empty when unknown):
 * the plan file, without lines, when that is a regular file of the repository; else no file, and
 * the target names what was scanned.
 */
export function terraformPlanPlace(scanned: string, ctx: ParseContext): { location?: Location; target?: string } {
  const file = scanned ? normalisePath(scanned, ctx.root) : undefined;
  if (file !== undefined && treeFilesOf(ctx, ctx.root)(file)) return { location: { path: file } };
  return { target: `Terraform plan in ${scanned || '.'}` };
}

/** A vulnerability's match (TrivyMatch): the Result's Target, then its PkgPath; its package URL. */
function vulnerabilityMatch(v: JsonObject, scope: Scope): TrivyMatch {
  const pkgPath = str(v['PkgPath']);
  const purl = str(obj(v['PkgIdentifier'])?.['PURL']);
  if (!pkgPath && !purl) return scope.match;
  return { paths: pkgPath ? [...scope.match.paths, pkgPath] : scope.match.paths, ...(purl ? { purl } : {}) };
}

/** Where a finding of the Result is: its file (the archive, without lines, for a file inside one), else what was scanned. */
function placed(scope: Scope, startLine?: number, endLine?: number): { location?: Location; target?: string } {
  if (scope.file && isRepositoryPath(scope.file))
    return { location: scope.inArchive || scope.plan ? { path: scope.file } : { path: scope.file, startLine, endLine } };
  return { target: scope.subject ?? scope.file ?? scope.target };
}

/**
 * A file of the scanned tree named relative to it, else undefined: a vulnerability's PkgPath (an
 * installed package: a jar, a package.json, a METADATA), a licence's FilePath, a module call's Filename.
 */
function fileInTree(scope: Scope, name: string | undefined): Location | undefined {
  if (scope.tree === undefined || !name) return undefined;
  const file = normalisePath(treePath(scope.tree, name), scope.ctx.root);
  return isRepositoryPath(file) ? { path: file } : undefined;
}

/** Where a licence found in a file (`Class: license-file`, no package) is, in a scanned tree. */
function licenceFile(l: JsonObject, scope: Scope): { location: Location } | undefined {
  if (str(l['PkgName'])) return undefined;
  const location = fileInTree(scope, str(l['FilePath']));
  return location && { location };
}

function vulnerability(v: JsonObject, scope: Scope, suppressed: boolean): RawFinding | undefined {
  const id = str(v['VulnerabilityID']);
  if (!id) return undefined;
  const name = str(v['PkgName']) ?? str(v['PkgID']) ?? 'unknown-package';
  const pkg = `${name}@${str(v['InstalledVersion']) ?? ''}`;
  const fixed = str(v['FixedVersion']);
  const title = str(v['Title']) ?? id;
  const pkgPath = str(v['PkgPath']);
  // where the lock file declares the package, else the installed package's file
  const location = scope.packageLines.get(str(v['PkgID']) ?? '') ?? fileInTree(scope, pkgPath);
  return {
    tool: TRIVY.id,
    // one package at one version in two places (two jars of one image) is two findings, as Trivy lists them
    key: trivyKeys.vulnerability(id, pkg, pkgPath ? `${scope.target}|${pkgPath}` : scope.target),
    rule: id,
    title: firstLine(title),
    message: `${id} in ${pkg}${fixed ? ` (fixed in ${fixed})` : ' (no fix yet)'}: ${firstLine(title, 300)}`,
    severity: trivySeverity(v, scope.ctx),
    category: 'vulnerability',
    ...(location ? { location } : placed(scope)),
    package: pkg,
    suppressed,
    unfixed: !fixed,
    cwe: cweIds(strings(v['CweIDs'])),
    cve: cveIds([id]),
    helpUri: str(v['PrimaryURL']),
    trivy: vulnerabilityMatch(v, scope),
  };
}

/** The code lines Trivy quotes for a misconfiguration (CauseMetadata.Code.Lines[].Content). */
function codeLines(cause: JsonObject | undefined): string {
  return arr(obj(cause?.['Code'])?.['Lines'])
    .map((l) => str(obj(l)?.['Content']) ?? '')
    .join('\n');
}

/**
 * The ids Trivy's ignore files may name a misconfiguration by, in the order Trivy tries them: its
 * ID, its AVDID, its aliases. Recent Trivy (0.74 here) writes neither AVDID nor aliases (`Aliases` is not in its
 * JSON) but still honours the old names of its own checks: `AVD-` and the ID (`AVD-DS-0001`), and
 * the check's package name (`DS001`, from `builtin.dockerfile.DS001`); those are added for a
 * built-in check when the report gives no AVDID.
 */
function misconfigurationIds(m: JsonObject): string[] {
  const id = str(m['ID']);
  const avd = str(m['AVDID']);
  const ids = [id, avd, ...strings(m['Aliases'])];
  const namespace = str(m['Namespace']);
  if (id && !avd && namespace?.startsWith('builtin.'))
    ids.push(id.startsWith('AVD-') ? undefined : `AVD-${id}`, namespace.split('.').at(-1));
  return [...new Set(ids.filter((x): x is string => !!x))];
}

/**
 * Where the repository calls the downloaded module a misconfiguration is in: the first of
 * `CauseMetadata.Occurrences` (the module calls, innermost first) that is a file of the scanned tree.
 */
function callerOf(cause: JsonObject | undefined, scope: Scope): Location | undefined {
  for (const item of arr(cause?.['Occurrences'])) {
    const occurrence = obj(item);
    const filename = str(occurrence?.['Filename']);
    const file = filename && !REMOTE_MODULE.test(filename) ? fileInTree(scope, filename) : undefined;
    const lines = obj(occurrence?.['Location']);
    if (file) return { ...file, startLine: int(lines?.['StartLine']), endLine: int(lines?.['EndLine']) };
  }
  return undefined;
}

/**
 * Trivy 0.19 to 0.60 gave a custom Rego check without metadata the ID and Title `N/A`: its
 * Namespace (`user.foo`) tells two such checks apart (read as `N/A`, they were one finding).
 */
const stated = (value: string | undefined): string | undefined => (value === 'N/A' ? undefined : value);

function misconfiguration(m: JsonObject, scope: Scope, suppressed: boolean): RawFinding | undefined {
  const id = stated(str(m['ID'])) ?? str(m['AVDID']) ?? str(m['Namespace']) ?? str(m['ID']);
  const status = str(m['Status']);
  if (!id || status === 'PASS') return undefined;
  const cause = obj(m['CauseMetadata']);
  const startLine = int(cause?.['StartLine']);
  const title = stated(str(m['Title'])) ?? stated(str(m['Message'])) ?? id;
  const resolution = str(m['Resolution']);
  // a downloaded module's finding is placed where the repository calls the module, an archive's on
  // the archive: the message says where it is
  const remote = scope.file !== undefined && REMOTE_MODULE.test(scope.target);
  const caller = remote ? callerOf(cause, scope) : undefined;
  const inside = remote ? `module ${firstLine(scope.target, 300)}` : scope.inArchive;
  const resource = str(cause?.['Resource']);
  const where = scope.plan
    ? ` In the Terraform plan${resource ? `: ${firstLine(resource, 200)}` : ''}.`
    : inside
      ? ` In ${inside}${startLine ? `, line ${startLine}` : ''}.`
      : '';
  return {
    tool: TRIVY.id,
    key: trivyKeys.misconfiguration(id, scope.target, startLine),
    rule: id,
    title: firstLine(title),
    message: `${id}: ${firstLine(str(m['Message']) ?? title, 300)}${where}${resolution ? ` Resolution: ${firstLine(resolution, 200)}` : ''}`,
    severity: trivySeverity(m, scope.ctx),
    category: 'misconfiguration',
    // a downloaded module called from nowhere in the tree is no file: its address is the target
    ...(caller ? { location: caller } : remote ? { target: scope.target } : placed(scope, startLine, int(cause?.['EndLine']))),
    stable: [str(cause?.['Resource']) ?? '', snippetHash(codeLines(cause))].join(':'),
    suppressed: suppressed || status === 'EXCEPTION',
    cwe: [],
    cve: [],
    helpUri: str(m['PrimaryURL']),
    trivy: { ids: misconfigurationIds(m), paths: scope.match.paths },
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
    severity: trivySeverity(s, scope.ctx),
    category: 'secret',
    ...placed(scope, startLine, int(s['EndLine'])),
    // Match is hashed, never kept: Trivy masks the secret in it
    stable: snippetHash(str(s['Match'])),
    suppressed,
    cwe: ['CWE-798'],
    cve: [],
    trivy: scope.match,
  };
}

/**
 * A licence finding's rule, title and message, alike from Trivy's JSON and SARIF: `pkg` is the
 * package, else the file the licence was found in.
 */
export function licenceTexts(name: string, pkg: string, category: string | undefined): Pick<RawFinding, 'rule' | 'title' | 'message'> {
  return {
    rule: `license:${name}`,
    title: `Licence ${name} (${category ?? 'unknown'})`,
    message: `${pkg ? `${pkg} is under` : 'File under'} licence ${name} (category ${category ?? 'unknown'}).`,
  };
}

function licence(l: JsonObject, scope: Scope, suppressed: boolean): RawFinding | undefined {
  const name = str(l['Name']);
  if (!name) return undefined;
  const pkg = str(l['PkgName']) ?? str(l['FilePath']) ?? '';
  return {
    tool: TRIVY.id,
    key: trivyKeys.licence(name, pkg, scope.target),
    ...licenceTexts(name, pkg, str(l['Category'])),
    severity: trivySeverity(l, scope.ctx),
    category: 'licence',
    ...(licenceFile(l, scope) ?? placed(scope)),
    ...(pkg ? { package: pkg } : {}),
    suppressed,
    cwe: [],
    cve: [],
    helpUri: str(l['Link']),
    // Trivy matches a licence's paths against its FilePath, not the Result's Target
    trivy: { ids: [name], paths: [str(l['FilePath']) ?? ''] },
  };
}

const READERS: Record<string, { list: string; read: (item: JsonObject, scope: Scope, suppressed: boolean) => RawFinding | undefined }> = {
  vulnerability: { list: 'Vulnerabilities', read: vulnerability },
  misconfiguration: { list: 'Misconfigurations', read: misconfiguration },
  secret: { list: 'Secrets', read: secret },
  license: { list: 'Licenses', read: licence },
};

/**
 * A Result's Vulnerabilities read one by one (streamed, see load.ts), when what places them came
 * before them: the Result's Target and Class, and no Packages (whose lines place vulnerabilities).
 * Trivy writes a Result in that order; a Result written otherwise is read whole.
 */
export function streamedVulnerabilities(
  result: Readonly<Record<string, string>>,
  keys: ReadonlySet<string>,
  artifact: TrivyArtifact,
  ctx: ParseContext,
): ((item: unknown) => void) | undefined {
  if (result['Target'] === undefined || result['Class'] === undefined || keys.has('Packages')) return undefined;
  const scope = scopeOf(result, artifact, ctx);
  return (item) => {
    const v = obj(item);
    const finding = v && vulnerability(v, scope, false);
    if (finding) ctx.sink.finding(finding);
  };
}

/** One entry of a Trivy report's Results: its vulnerabilities, misconfigurations, secrets, licences and modified (suppressed) findings. */
export function readTrivyResult(item: unknown, artifact: TrivyArtifact, ctx: ParseContext, matchTarget?: string): void {
  const result = obj(item);
  if (!result) return;
  const scope = scopeOf(result, artifact, ctx, matchTarget);
  for (const reader of Object.values(READERS)) {
    for (const entry of arr(result[reader.list])) {
      const finding = obj(entry) && reader.read(obj(entry)!, scope, false);
      if (finding) ctx.sink.finding(finding);
    }
  }
  // `--show-suppressed`: findings ignored by .trivyignore or VEX, kept as suppressed with Trivy's reason.
  for (const entry of arr(result['ExperimentalModifiedFindings'])) {
    const modified = obj(entry);
    const reader = own(READERS, str(modified?.['Type']) ?? '');
    const inner = obj(modified?.['Finding']);
    const finding = reader && inner && reader.read(inner, scope, true);
    if (finding) ctx.sink.finding({ ...finding, justification: modifiedBecause(modified!) });
  }
}

/**
 * Why Trivy set a finding aside (an `ExperimentalModifiedFindings` entry): the statement of its
 * ignore file's entry or VEX document, then its status and where it came from:
 * `Trivy: webhook revoked 2026-01 (ignored, .trivyignore.yaml)`, `Trivy: ignored (.trivyignore)`.
 */
function modifiedBecause(modified: JsonObject): string {
  const statement = str(modified['Statement']);
  const status = str(modified['Status']) ?? 'ignored';
  const source = str(modified['Source']);
  if (statement) return `Trivy: ${statement} (${source ? `${status}, ${source}` : status})`;
  return `Trivy: ${source ? `${status} (${source})` : status}`;
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

/** Whether an array element is a Result of Trivy before 0.20 (whose report was a bare array of Results). */
export function isTrivyLegacyResult(item: unknown): boolean {
  const result = obj(item);
  return !!result && 'Target' in result && ('Vulnerabilities' in result || 'Type' in result || 'Misconfigurations' in result);
}

/** Trivy before 0.20 (`[ { Target, Type, Vulnerabilities } ]`): one Result of the bare array. */
export function readTrivyLegacyResult(item: unknown, ctx: ParseContext): void {
  readTrivyResult(item, {}, ctx);
}

/** Trivy's Kubernetes report (`trivy k8s --format json`): a cluster, its resources, each with Results. */
export function isTrivyKubernetes(report: JsonObject): boolean {
  return 'ClusterName' in report && ['Resources', 'Vulnerabilities', 'Misconfigurations'].some((k) => Array.isArray(report[k]));
}

function readTrivyKubernetes(report: JsonObject, ctx: ParseContext): void {
  ctx.sink.tool({ ...TRIVY });
  for (const list of ['Resources', 'Vulnerabilities', 'Misconfigurations']) {
    for (const item of arr(report[list])) {
      const resource = obj(item);
      if (!resource) continue;
      const name = [str(resource['Namespace']), str(resource['Kind']), str(resource['Name'])].filter(Boolean).join('/');
      for (const result of arr(resource['Results'])) {
        const r = obj(result);
        if (!r) continue;
        // the resource is part of what was scanned: the same image in two workloads is two findings
        const target = str(r['Target']);
        // Trivy's ignore files match the Target of the resource's own report
        readTrivyResult(
          { ...r, Target: target && name ? `${name}: ${target}` : target || name },
          { ArtifactType: 'kubernetes' },
          ctx,
          target ?? '',
        );
      }
    }
  }
}

/** Trivy `--format json` (SchemaVersion 2), its Kubernetes report, and the bare array of Trivy before 0.20. */
export function parseTrivyJson(doc: unknown, ctx: ParseContext): void {
  if (Array.isArray(doc)) {
    ctx.sink.tool({ ...TRIVY });
    doc.forEach((item) => readTrivyLegacyResult(item, ctx));
    return;
  }
  const report = obj(doc);
  if (report && isTrivyKubernetes(report)) return readTrivyKubernetes(report, ctx);
  if (!report || report['SchemaVersion'] === undefined)
    throw new ReportError(ctx.file, 'expected a Trivy JSON report (an object with SchemaVersion and Results)');
  readTrivyEnvelope(report, ctx);
  for (const item of arr(report['Results'])) readTrivyResult(item, report, ctx);
}

/** Trivy releases that shipped a credential stealer (CVE-2026-33634); never run them. */
export const MALICIOUS_TRIVY = ['0.69.4', '0.69.5', '0.69.6'];

async function refuseMaliciousTrivy(command: string, deps: ScannerDeps): Promise<void> {
  const { stdout } = await deps.exec(command, ['--version'], { logger: deps.log, timeoutMs: 60_000 });
  const version = /Version:\s*v?(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  if (version && MALICIOUS_TRIVY.includes(version)) {
    throw new ExternalError(
      `Refusing to run trivy ${version} at ${command}: releases ${MALICIOUS_TRIVY.join(', ')} were malicious (CVE-2026-33634). Install a verified release.`,
    );
  }
}

/** `--ignorefile` with the repository's .trivyignore.yaml, else its .trivyignore, and `--show-suppressed`. */
function trivyIgnoreArgs(workspace: string): string[] {
  const file = ['.trivyignore.yaml', '.trivyignore.yml', '.trivyignore'].map((f) => path.join(workspace, f)).find((f) => existsSync(f));
  return file ? ['--ignorefile', file, '--show-suppressed'] : [];
}

/** With a database made ready beforehand (install-scanners): Trivy reads it from there and does not try to update it. */
function trivyDbArgs(cacheDir: string | undefined): string[] {
  return cacheDir ? ['--cache-dir', cacheDir, '--skip-db-update'] : [];
}

/** Nothing leaves the runner but the database download: no usage data, no update notice (as Semgrep runs with metrics off). */
export const TRIVY_PRIVATE = ['--disable-telemetry', '--skip-version-check'] as const;

/** An image given as a file (`docker save` or OCI archive: .tar, .tar.gz, .tgz), not as a reference. */
export function isImageArchive(image: string): boolean {
  return /\.(?:tar|tar\.gz|tgz)$/i.test(image) || image.startsWith('/') || image.startsWith('./');
}

/** Where a diff-aware scan's copy of the changed files and their context goes (diff-tree.ts). */
function diffTree({ workDir, report }: Pick<RunOptions, 'workDir' | 'report'>): string {
  return path.join(workDir ?? path.dirname(report), 'trivy-diff-tree');
}

/** The repository's trivy.yaml, which Trivy reads from the folder it runs in: named when it runs in the diff tree. */
function trivyConfigArgs(workspace: string): string[] {
  const file = path.join(workspace, 'trivy.yaml');
  return existsSync(file) ? ['--config', file] : [];
}

export const trivy: Scanner = {
  tool: TRIVY,
  input: 'trivy-report',
  formats: 'JSON or SARIF (vulnerabilities, misconfigurations, secrets, licences; fs, image, config, kubernetes; before 0.20 too)',
  severity: '`Severity` (UNKNOWN is INFO); else the highest CVSS score; else MEDIUM',
  sarifDriver: /^trivy$/i,
  detect: (o) => ('SchemaVersion' in o && ('Results' in o || 'ArtifactName' in o)) || isTrivyKubernetes(o),
  detectElement: isTrivyLegacyResult,
  parse: parseTrivyJson,
  readElement: (element, _index, ctx) => readTrivyLegacyResult(element, ctx),
  stream: {
    key: 'Results',
    element: (element, _index, envelope, ctx) => readTrivyResult(element, envelope, ctx),
    envelope: readTrivyEnvelope,
    nested: { key: 'Vulnerabilities', start: streamedVulnerabilities },
  },
  run: {
    command: 'trivy',
    summary:
      "trivy fs (vulnerabilities, misconfigurations of Dockerfiles and Helm charts, secrets; the repository's .trivyignore(.yaml) with --show-suppressed; skip-paths as --skip-dirs/--skip-files) and, with `image`, trivy image (vulnerabilities and secrets of the image), refusing the malicious releases; on a diff-aware scan trivy fs scans a copy of the changed files with the files read together with them, at their repository paths",
    args: ({ report, workspace, trivyCacheDir, skipPaths = [], diffBase }) => [
      'fs',
      ...TRIVY_PRIVATE,
      ...trivyDbArgs(trivyCacheDir),
      '--format',
      'json',
      '--output',
      report,
      '--exit-code',
      '0',
      '--quiet',
      // findings its ignore file lists are kept, as suppressed (ExperimentalModifiedFindings)
      ...trivyIgnoreArgs(workspace),
      ...skipPaths.flatMap((glob) => ['--skip-dirs', glob, '--skip-files', glob]),
      // a diff-aware scan runs in its copy of the change (cwd), so that Targets are repository paths
      ...(diffBase ? [...trivyConfigArgs(workspace), '.'] : [workspace]),
    ],
    env: { TRIVY_SCANNERS: 'vuln,misconfig,secret' },
    okExitCodes: [0],
    check: refuseMaliciousTrivy,
    prepare: async (options, deps) => {
      if (!options.diffBase) return;
      const { changed, copied } = await writeDiffTree(options.workspace, options.diffBase, diffTree(options), deps.exec);
      deps.log.info(
        `run-scanners: trivy scans the change: ${changed.length} changed file${changed.length === 1 ? '' : 's'}, ${copied.length} with the files read together with them.`,
      );
    },
    cwd: (options) => (options.diffBase ? diffTree(options) : undefined),
    more: ({ image, trivyCacheDir, workspace }) =>
      image
        ? [
            {
              name: 'trivy-image',
              args: (report) => [
                'image',
                ...TRIVY_PRIVATE,
                ...trivyDbArgs(trivyCacheDir),
                '--scanners',
                'vuln,secret',
                '--format',
                'json',
                '--output',
                report,
                '--exit-code',
                '0',
                '--quiet',
                ...trivyIgnoreArgs(workspace),
                ...(isImageArchive(image) ? ['--input', image] : [image]),
              ],
            },
          ]
        : [],
  },
};
