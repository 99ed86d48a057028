import { arr, obj, str, strings, ReportError, type JsonObject } from '../json.ts';
import { maxSeverity, severityFromScore, severityFromSecurityLabel, type Severity } from '../model.ts';
import { isRepositoryPath, normalisePath } from '../paths.ts';
import { cveIds, firstLine, unrecognisedSeverity, type ParseContext } from '../sink.ts';
import type { Scanner } from './scanner.ts';

export const GRYPE = { id: 'grype', name: 'Grype', informationUri: 'https://github.com/anchore/grype' } as const;

/**
 * Grype `-o json`: `{ matches: [{ vulnerability, artifact, … }], source, distro, descriptor: { name: 'grype' } }`;
 * before 0.5 without descriptor, source and distro: `{ matches, image }` or `{ matches, directory }`.
 */
export function isGrypeJson(doc: JsonObject): boolean {
  const matches = doc['matches'];
  if (!Array.isArray(matches)) return false;
  if (str(obj(doc['descriptor'])?.['name']) === 'grype' || ('source' in doc && 'distro' in doc)) return true;
  const first = obj(matches[0]);
  return (
    (typeof doc['directory'] === 'string' || obj(doc['image']) !== undefined) &&
    (!first || (obj(first['vulnerability']) !== undefined && obj(first['artifact']) !== undefined))
  );
}

/** The highest CVSS base score of a vulnerability record (`cvss[].metrics`, before 0.13 `cvssV3` and `cvssV2`), as a severity. */
function cvssSeverity(v: JsonObject): Severity | undefined {
  let best: Severity | undefined;
  const scores = [
    ...arr(v['cvss']).map((c) => obj(obj(c)?.['metrics'])?.['baseScore']),
    obj(v['cvssV3'])?.['baseScore'],
    obj(v['cvssV2'])?.['baseScore'],
  ];
  for (const score of scores) {
    const s = severityFromScore(score);
    if (s) best = best ? maxSeverity(best, s) : s;
  }
  return best;
}

/**
 * Grype's label (Critical, High, Medium, Low, Negligible, Unknown); else the highest CVSS base
 * score; else the most severe of its related advisories (`relatedVulnerabilities`, by label or
 * CVSS: an NVD record matched by CPE may have neither while its GitHub advisory is High); else
 * MEDIUM. A severity not Grype's own is said in the summary.
 */
function grypeSeverity(v: JsonObject, match: JsonObject, ctx: ParseContext): Severity {
  const label = severityFromSecurityLabel(v['severity']);
  if (label) return label;
  const own = cvssSeverity(v);
  if (v['severity'] !== undefined) unrecognisedSeverity(ctx, 'Grype', 'severity', v['severity'], own ? 'CVSS' : 'its related advisories');
  if (own) return own;
  let related: { id: string; severity: Severity } | undefined;
  for (const item of arr(match['relatedVulnerabilities'])) {
    const r = obj(item);
    const severity = r && (severityFromSecurityLabel(r['severity']) ?? cvssSeverity(r));
    if (severity && (!related || maxSeverity(related.severity, severity) !== related.severity)) {
      related = { id: str(r['id']) ?? 'a related advisory', severity };
    }
  }
  const id = str(v['id']) ?? 'a vulnerability';
  ctx.sink.problem(
    related
      ? `Grype gave ${id} no severity and no CVSS score: read as ${related.severity}, the severity of its related advisory ${related.id}.`
      : `Grype gave ${id} no severity, no CVSS score and no related advisory with one: read as MEDIUM.`,
  );
  return related?.severity ?? 'MEDIUM';
}

/** What Grype scanned: an image (its user input; before 0.5 its first tag), a directory or a file. */
function subjectOf(doc: JsonObject): string {
  const target = doc['source'] && obj(doc['source'])?.['target'];
  const image = obj(doc['image']);
  return (
    str(target) ??
    str(obj(target)?.['userInput']) ??
    str(obj(doc['source'])?.['type']) ??
    str(doc['directory']) ??
    strings(image?.['tags'])[0] ??
    str(image?.['digest']) ??
    'scanned artifact'
  );
}

/** Whether Grype scanned an image (its locations are in the image's layers, not in the repository). */
function scannedImage(doc: JsonObject): boolean {
  return /^(?:image|docker)/.test(str(obj(doc['source'])?.['type']) ?? '') || obj(doc['image']) !== undefined;
}

/**
 * Why Grype ignored a match (`ignoredMatches[].appliedIgnoreRules`, from the ignore rules of its
 * configuration or a VEX document): each rule's reason, else its VEX status and justification,
 * else its fix state, else the vulnerability it names.
 */
function ignoredBecause(match: JsonObject): string {
  const reasons = arr(match['appliedIgnoreRules']).map((item) => {
    const rule = obj(item) ?? {};
    const vex = str(rule['vex-status']);
    const justification = str(rule['vex-justification']);
    if (str(rule['reason'])) return str(rule['reason'])!;
    if (vex) return `VEX ${vex}${justification ? ` (${justification})` : ''}`;
    if (str(rule['fix-state'])) return `fix state ${str(rule['fix-state'])}`;
    return str(rule['vulnerability']) ? `an ignore rule for ${str(rule['vulnerability'])}` : 'an ignore rule';
  });
  return `Grype: ${[...new Set(reasons)].join('; ') || 'an ignore rule'}`;
}

function readMatch(item: unknown, index: number, subject: string, image: boolean, ctx: ParseContext, ignored = false): void {
  const match = obj(item);
  const v = obj(match?.['vulnerability']);
  const artifact = obj(match?.['artifact']);
  const id = str(v?.['id']);
  if (!match || !v || !id || !artifact)
    throw new ReportError(
      ctx.file,
      `${ignored ? 'ignored match' : 'match'} ${index} has no vulnerability id or artifact; expected a Grype JSON report`,
    );
  const pkg = `${str(artifact['name']) ?? 'unknown-package'}@${str(artifact['version']) ?? ''}`;
  // a location is `{ path, layerID }`; before 0.5, in a directory, the path alone
  const first = arr(artifact['locations'])[0];
  const where = str(first) ?? str(obj(first)?.['path']);
  const path = where ? normalisePath(where.replace(/^\//, ''), ctx.root) : undefined;
  const fix = obj(v['fix']);
  const fixed = strings(fix?.['versions']);
  const description = str(v['description']);
  ctx.sink.finding({
    tool: GRYPE.id,
    key: `grype|${id}|${pkg}|${where ?? subject}`,
    rule: id,
    title: firstLine(description ? `${id}: ${description}` : `${id} in ${str(artifact['name']) ?? pkg}`),
    message: `${id} in ${pkg}${fixed.length ? ` (fixed in ${fixed.join(', ')})` : ' (no fix yet)'}${description ? `: ${firstLine(description, 300)}` : ''}`,
    severity: grypeSeverity(v, match, ctx),
    category: 'vulnerability',
    // image layers are not repository files: those findings name the image instead
    ...(path && !image && isRepositoryPath(path) ? { location: { path } } : { target: where ? `${subject}: ${where}` : subject }),
    package: pkg,
    suppressed: ignored,
    ...(ignored ? { justification: ignoredBecause(match) } : {}),
    unfixed: fixed.length === 0,
    cwe: [],
    cve: cveIds([id, ...arr(match['relatedVulnerabilities']).map((r) => str(obj(r)?.['id']) ?? '')]),
    helpUri: str(v['dataSource']) ?? strings(v['urls'])[0],
  });
}

/** A Grype JSON report. */
export function parseGrypeJson(doc: JsonObject, ctx: ParseContext): void {
  ctx.sink.tool({ ...GRYPE, version: str(obj(doc['descriptor'])?.['version']) });
  const subject = subjectOf(doc);
  const image = scannedImage(doc);
  arr(doc['matches']).forEach((m, i) => readMatch(m, i, subject, image, ctx));
  // matches its ignore rules or a VEX document set aside: kept, as suppressed, with the rules' reasons
  arr(doc['ignoredMatches']).forEach((m, i) => readMatch(m, i, subject, image, ctx, true));
}

export const grype: Scanner = {
  tool: GRYPE,
  input: 'grype-report',
  formats: 'JSON (`-o json`) or SARIF',
  severity:
    '`vulnerability.severity` (Negligible and Unknown are INFO); else the highest CVSS base score (`cvss`, before 0.13 `cvssV3` and `cvssV2`); else MEDIUM',
  sarifDriver: /^grype$/i,
  detect: isGrypeJson,
  parse: (doc, ctx) => parseGrypeJson(obj(doc) ?? {}, ctx),
};
