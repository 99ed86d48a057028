import { createHash } from 'node:crypto';
import path from 'node:path';
import { own, REDACTED } from '@pipeline-toolkit/core';
import { arr, int, obj, str, strings, ReportError, type JsonObject } from '../json.ts';
import {
  isStated,
  severityFromKnownLevel,
  severityFromLabel,
  severityFromScore,
  severityFromSecurityLabel,
  toolSlug,
  type Category,
  type Location,
  type Severity,
} from '../model.ts';
import { isRepositoryPath, normalisePath } from '../paths.ts';
import { cleanText, cveIds, cweIds, firstLine, snippetHash, truncate, unrecognisedSeverity, type ParseContext } from '../sink.ts';
import { addCodeSecrets, checkovSarifPath, checkovSecretMessage, isCheckovSecretRule } from '../scanners/checkov.ts';
import { addLeak } from '../scanners/gitleaks.ts';
import { scannerOfDriver } from '../scanners/index.ts';
import { NOSEMGREP, semgrepKey, semgrepStable } from '../scanners/semgrep.ts';
import { licenceTexts, terraformPlanPlace, trivyKeys } from '../scanners/trivy.ts';
import { PMD_DRIVER, toolLabels, type LabelSource } from './tool-labels.ts';

interface Run {
  ctx: ParseContext;
  /** The driver name, as written. */
  name: string;
  /** The registered scanner's id ('other' for any other tool): Gitleaks, Semgrep and Trivy runs are read with their tool's keys and fields. */
  kind: string;
  tool: string;
  /** The driver's rules. */
  rules: JsonObject[];
  /** The run's tool extensions (plug-ins, query packs): their rules, name and guid. */
  extensions: Component[];
  /** Every rule by its id: the driver's over the extensions'. */
  rulesById: Map<string, JsonObject>;
  bases: JsonObject | undefined;
  artifacts: readonly unknown[];
  /** The driver's `globalMessageStrings`: message templates shared by its rules. */
  messageStrings: JsonObject | undefined;
  /** The image a Trivy run scanned (`properties.imageName`): its uris are in the image, not in the repository. */
  image?: string | undefined;
  /** Where the tool ran (its first invocation's `workingDirectory`), as an absolute path: see resolveUri. */
  workingDirectory?: string | undefined;
}

/** A tool component's rules, by index and (made when first needed) by id. */
interface Component {
  name?: string;
  guid?: string;
  rules: JsonObject[];
  byId?: Map<string, JsonObject>;
}

/** Rules by id; of one id the last, as a Map built from the list keeps it. */
function byId(rules: readonly JsonObject[], into = new Map<string, JsonObject>()): Map<string, JsonObject> {
  for (const rule of rules) {
    const id = str(rule['id']);
    if (id) into.set(id, rule);
  }
  return into;
}

function text(message: unknown): string | undefined {
  return str(obj(message)?.['text']) ?? str(obj(message)?.['markdown']);
}

/**
 * The longest message filled from a template (GitHub shows at most 2,000 characters of one): a
 * template named by id is shared by every result that names it, so one long template, or one long
 * argument repeated, must not make every result's message long (a small report, a huge output).
 */
const MAX_FILLED_MESSAGE = 2000;

/** A template's `{n}` placeholders replaced by the arguments and `{{`, `}}` by braces (SARIF 2.1.0 §3.11.5), cut at `max`. */
function fillPlaceholders(template: string, args: readonly unknown[], max: number): string {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\{(\d+)\}|\{\{|\}\}/g)) {
    const argument = m[1] === undefined ? m[0][0] : str(args[Number(m[1])]);
    out += template.slice(last, m.index) + (argument ?? m[0]);
    last = m.index + m[0].length;
    if (out.length > max) break;
  }
  return truncate(last < template.length && out.length <= max ? out + template.slice(last) : out, max);
}

/**
 * An embedded link to one of the result's locations, `[text](n)` (SARIF 2.1.0 §3.11.6): `n` is
 * the `id` of an entry of its `relatedLocations`, which this action does not carry into its
 * outputs. A bracket escaped as `\[` opens no link. The text inside has no unescaped bracket and
 * at most 500 characters: each `[` is looked at once, over at most 500 characters, so the search
 * is linear and its backtracking bounded on any input (an unbounded group overflows V8's regexp
 * stack on a message of 16 million characters).
 */
const LOCATION_LINK = /(?<!\\)\[((?:[^[\]\\]|\\.){0,500})\]\(\d{1,9}\)/g;

/**
 * A message with its links to related locations replaced by their text: "due to [a user-provided
 * value](1)" reads "due to a user-provided value" in the findings file, the summary and the
 * written SARIF, where the link would point at a location that is not there. Links to web
 * addresses stay.
 */
function withoutLocationLinks(message: string): string {
  return message.includes('](') ? message.replace(LOCATION_LINK, '$1') : message;
}

/**
 * A result's message: its text (or markdown), else the template its `id` names in the rule's
 * `messageStrings`, then the driver's `globalMessageStrings` (SARIF 2.1.0 §3.11.7), with the
 * result's `arguments` put in its placeholders, and its links to related locations as their text.
 * A message filled or looked up is at most MAX_FILLED_MESSAGE long, or as long as the result's
 * own text.
 */
function messageOf(run: Run, message: unknown, rule: JsonObject | undefined): string | undefined {
  const filled = filledMessage(run, message, rule);
  return filled === undefined ? undefined : withoutLocationLinks(filled);
}

function filledMessage(run: Run, message: unknown, rule: JsonObject | undefined): string | undefined {
  const m = obj(message);
  if (!m) return undefined;
  const args = arr(m['arguments']);
  const own = text(m);
  if (own !== undefined) return args.length ? fillPlaceholders(own, args, Math.max(own.length, MAX_FILLED_MESSAGE)) : own;
  const id = str(m['id']);
  const lookup = (strings: JsonObject | undefined) =>
    id !== undefined && strings && Object.hasOwn(strings, id) ? text(strings[id]) : undefined;
  const template = lookup(obj(rule?.['messageStrings'])) ?? lookup(run.messageStrings);
  if (template === undefined) return undefined;
  // cut first: the rest of a long template would be cut from every result's message anyway
  const head = truncate(template, MAX_FILLED_MESSAGE + 64);
  return args.length ? fillPlaceholders(head, args, MAX_FILLED_MESSAGE) : truncate(head, MAX_FILLED_MESSAGE);
}

function decodeRelative(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** A URI with a scheme (`file:`, `https:` …); a drive letter (`C:`) is one character and is not a scheme here. */
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;
/** A URI of something other than a file: a web address (OWASP ZAP's results), a URN. */
const notFile = (uri: string) => SCHEME.test(uri) && !/^file:/i.test(uri);

/**
 * Where an artifactLocation points: a file (`path`, repository-relative when it is in the
 * repository), or something else (`target`: a web address).
 */
function resolveUri(run: Run, artifactLocation: JsonObject | undefined): { path?: string; target?: string } {
  if (!artifactLocation) return {};
  let uri = str(artifactLocation['uri']);
  const index = int(artifactLocation['index']);
  if (!uri && index !== undefined) uri = str(obj(obj(run.artifacts[index])?.['location'])?.['uri']);
  if (!uri) return {};
  if (notFile(uri)) return { target: uri };
  const decoded = SCHEME.test(uri) ? uri : decodeRelative(uri);
  const base = str(obj(obj(run.bases)?.[str(artifactLocation['uriBaseId']) ?? ''])?.['uri']);
  if (base && !SCHEME.test(decoded)) {
    // a source root given as a web address (the repository at a commit): the uri is relative to the repository
    if (notFile(base)) return { path: normalisePath(decoded, run.ctx.root) };
    // Only a base inside the repository helps; Trivy's ROOTPATH (file:///) would turn an image name into a path.
    const joined = normalisePath(`${base.replace(/\/?$/, '/')}${decoded}`, run.ctx.root);
    if (isRepositoryPath(joined)) return { path: joined };
  }
  return { path: inWorkingDirectory(run, normalisePath(decoded, run.ctx.root)) };
}

/** The first invocation's `workingDirectory` (§3.20.19), when it is an absolute path below `/`. */
function workingDirectoryOf(run: JsonObject): string | undefined {
  const uri = str(obj(obj(arr(run['invocations'])[0])?.['workingDirectory'])?.['uri']);
  const dir = uri && !notFile(uri) ? normalisePath(uri, '') : undefined;
  return dir && !isRepositoryPath(dir) && !/^(?:\/|[A-Za-z]:\/?)$/.test(dir) ? dir : undefined;
}

/**
 * An absolute path outside the repository, relative to where the tool ran when it lies below it:
 * a tool run in a container, or on another machine, over a checkout of the repository names its
 * files by the checkout's path there (`file:///src/app.py`, `/home/ci/repo/app.py`), and says
 * where it ran. Any other path is as it was.
 */
function inWorkingDirectory(run: Run, p: string): string {
  if (!run.workingDirectory || isRepositoryPath(p)) return p;
  const relative = normalisePath(p, run.workingDirectory);
  return isRepositoryPath(relative) ? relative : p;
}

/**
 * A location of Checkov's SARIF: its path as checkovSarifPath reads it; a secret's lines those of
 * its snippet (the region of a one-line secret ends a line after it, as `file_line_range` does).
 */
function checkovLocation(run: Run, location: Location, id: string, snippet: string | undefined): Location {
  const path = checkovSarifPath(location.path, run.ctx);
  if (!isCheckovSecretRule(id) || location.startLine === undefined || !snippet) return { ...location, path };
  const lines = snippet.replace(/\r?\n$/, '').split(/\r?\n/).length;
  return { ...location, path, endLine: location.startLine + lines - 1 };
}

/** What an invocation with `executionSuccessful: false` says of its end: its exit code or signal and their description. */
function unfinished(invocation: JsonObject): string {
  const code = int(invocation['exitCode']);
  const signal = str(invocation['exitSignalName']);
  const why = str(invocation['exitCodeDescription']);
  const end = [
    code !== undefined ? `exit code ${code}` : undefined,
    signal ? `signal ${signal}` : undefined,
    why ? firstLine(why, 200) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `the run did not complete (executionSuccessful: false${end ? `; ${end}` : ''}): its results may be partial`;
}

/** A result's first location (the one a finding is placed on). */
function firstLocation(result: JsonObject): JsonObject | undefined {
  return obj(arr(result['locations'])[0]);
}

function locationOf(run: Run, result: JsonObject): { location?: Location; snippet?: string; target?: string } {
  const physical = obj(firstLocation(result)?.['physicalLocation']);
  const { path, target } = resolveUri(run, obj(physical?.['artifactLocation']));
  // an image's findings name the image, as Trivy's JSON of the same scan does (the uri is the image or a path in it)
  if (run.image !== undefined && path !== undefined) return { target: path === run.image ? run.image : `${run.image}: ${path}` };
  const inImage = run.kind === 'grype' ? grypeImageTarget(result) : undefined;
  if (inImage) return { target: inImage };
  const snippet = str(obj(obj(physical?.['region'])?.['snippet'])?.['text']);
  // a result that names nothing keeps its snippet (`gitleaks stdin` gives its leaks an empty uri)
  if (!path) return target ? { target } : { snippet };
  return { location: { path, ...regionOf(physical) }, snippet };
}

/** The lines and columns of a physical location's region. */
function regionOf(physical: JsonObject | undefined): Omit<Location, 'path'> {
  const region = obj(physical?.['region']);
  return {
    startLine: int(region?.['startLine']),
    endLine: int(region?.['endLine']),
    startColumn: int(region?.['startColumn']),
    endColumn: int(region?.['endColumn']),
  };
}

/**
 * Where in an image Grype found a package, as its JSON names it (`<image>: <path>`): its SARIF
 * gives an image's results a logical location `<image>@<version>:<path>` beside a uri made of the
 * image and the path, which is no file of the repository.
 */
function grypeImageTarget(result: JsonObject): string | undefined {
  const logical = obj(arr(firstLocation(result)?.['logicalLocations'])[0]);
  const qualified = str(logical?.['fullyQualifiedName']) ?? '';
  const at = qualified.indexOf('@');
  const image = at > 0 && qualified.indexOf(':', at) > 0 ? qualified.slice(0, at) : undefined;
  const name = str(logical?.['name']);
  return image && name ? `${image}: ${name}` : undefined;
}

/**
 * The tool component a result's `rule.toolComponent` names (SARIF 2.1.0 §3.54): an extension by
 * index, guid or name; the driver when it names none of them (a reference by the driver's name).
 */
function componentOf(run: Run, reference: JsonObject): Component | undefined {
  const index = int(reference['index']);
  if (index !== undefined) return run.extensions[index];
  const guid = str(reference['guid']);
  const name = str(reference['name']);
  if (guid !== undefined) return run.extensions.find((e) => e.guid === guid);
  return name === undefined || name === run.name ? undefined : run.extensions.find((e) => e.name === name);
}

/**
 * A result's rule: in the tool component its `rule.toolComponent` names (an extension; the driver
 * without one), by index, else by id; a result that names no component is found by id among
 * every rule, the driver's first.
 */
function ruleOf(run: Run, result: JsonObject): { id: string; rule?: JsonObject } {
  const reference = obj(result['rule']);
  const named = obj(reference?.['toolComponent']);
  const component = named ? componentOf(run, named) : undefined;
  const rules = named && (component || named['index'] !== undefined || named['guid'] !== undefined) ? component?.rules : run.rules;
  const index = int(result['ruleIndex']) ?? int(reference?.['index']);
  const byIndex = index !== undefined ? rules?.[index] : undefined;
  const id =
    str(result['ruleId']) ??
    str(reference?.['id']) ??
    str(byIndex?.['id']) ??
    (run.kind === 'gitleaks' ? ruleInMessage(run, result) : 'unknown-rule');
  if (byIndex && str(byIndex['id']) === id) return { id, rule: byIndex };
  if (component) return { id, rule: (component.byId ??= byId(component.rules)).get(id) ?? byIndex };
  return { id, rule: run.rulesById.get(id) ?? byIndex };
}

/**
 * A Gitleaks 7 SARIF result, which has no rule reference: its message is `<rule> secret detected`,
 * so its rule is the longest rule id that the message starts with and a word ends
 * (`AWS Access Key`), else `unknown-rule`. One lookup per word of the message, however many rules
 * the report lists.
 */
function ruleInMessage(run: Run, result: JsonObject): string {
  const message = text(result['message']) ?? '';
  for (let end = message.length; end > 0; end = message.lastIndexOf(' ', end - 1)) {
    const start = message.slice(0, end);
    if (run.rulesById.has(start)) return start;
  }
  return 'unknown-rule';
}

/**
 * A result's suppression: the first of its `suppressions` that is accepted (a suppression without
 * a status is accepted, §3.35.3; one under review or rejected suppresses nothing), and its reason.
 * Checkov writes "No comment provided" where a `#checkov:skip` comment gave none (its
 * `common/output/sarif.py`), which is no reason.
 */
function suppressionOf(run: Run, result: JsonObject): { justification: string | undefined } | undefined {
  for (const item of arr(result['suppressions'])) {
    const suppression = obj(item);
    const status = str(suppression?.['status']);
    if (status !== undefined && status !== 'accepted') continue;
    const justification = str(suppression?.['justification']);
    if (run.kind === 'checkov' && justification === 'No comment provided') return { justification: undefined };
    // a comment in the code (nosemgrep, #nosec, a pragma) is the reason when none is written
    if (justification || suppression?.['kind'] !== 'inSource') return { justification };
    return { justification: run.kind === 'semgrep' ? NOSEMGREP : `${firstLine(run.name, 100)}: a comment in the source` };
  }
  return undefined;
}

const TRIVY_CATEGORY: Record<string, Category> = {
  vulnerability: 'vulnerability',
  misconfiguration: 'misconfiguration',
  secret: 'secret',
  license: 'licence',
};

/**
 * The severity of a result, from the first source that states one (docs/security-scan.md): Trivy's
 * and Grype's own label (rule tags, message, help), another tool's own label (`toolLabels`),
 * `security-severity` of the result then the rule (a CVSS score or a label in any case),
 * dependency-check's CVSS v2 label, the result's `level`, the rule's `defaultConfiguration.level`. A value
 * that is none of these is listed as a warning and falls through; with nothing stated, SARIF's
 * default level (warning) applies.
 */
function severityOf(run: Run, result: JsonObject, rule: JsonObject | undefined, tags: string[], message: string): Severity {
  if (run.kind === 'trivy') {
    // Trivy's own label is in the rule tags and the message; its security-severity is a CVSS score that may disagree.
    const label = tags.map(severityFromLabel).find(Boolean) ?? severityFromLabel(/Severity: ([A-Z]{1,16})/.exec(message)?.[1]);
    if (label) return label;
  }
  if (run.kind === 'grype') {
    // Grype's own label is in the rule's help ("Severity: critical"); its security-severity is a
    // CVSS score that may disagree with it (a Critical at 8.5, a Low at 8.2), as in its JSON
    const label = severityFromSecurityLabel(/^Severity: (\S{1,32})(?!\S)/m.exec(text(rule?.['help']) ?? '')?.[1]);
    if (label) return label;
  }
  const levelOf = run.kind === 'checkov' ? checkovLevel : severityFromKnownLevel;
  const labels = toolLabels(run.name, result, rule);
  const sources: LabelSource[] = [
    ...labels.before,
    ['result security-severity', obj(result['properties'])?.['security-severity'], severityFromScore],
    ['rule security-severity', obj(rule?.['properties'])?.['security-severity'], severityFromScore],
    ...labels.after,
    ['result level', result['level'], levelOf],
    ['rule defaultConfiguration.level', obj(rule?.['defaultConfiguration'])?.['level'], levelOf],
  ];
  const unrecognised: [string, unknown][] = [];
  let severity: Severity | undefined;
  let source = 'the default level (warning)';
  for (const [name, value, read] of sources) {
    if (!isStated(value)) continue;
    severity = read(value);
    if (severity) {
      source = name;
      break;
    }
    unrecognised.push([name, value]);
  }
  for (const [name, value] of unrecognised) unrecognisedSeverity(run.ctx, run.name, name, value, source);
  return severity ?? levelOf('warning')!;
}

/**
 * A Checkov result's level. With a severity (only with a platform key), Checkov gives the rule a
 * `security-severity`, read before any level, and the level that severity maps to. Without one,
 * its level is a placeholder: `error` for a failed check and `warning` (also SARIF's default) for
 * one skipped by a `#checkov:skip` comment (3.3.30, `common/output/sarif.py`). Both are a check
 * without a severity: HIGH, as in Checkov's JSON (scanners/checkov.ts). Other levels as written.
 */
function checkovLevel(level: unknown): Severity | undefined {
  return level === 'error' || level === 'warning' ? 'HIGH' : severityFromKnownLevel(level);
}

/** SARIF `kind`: only `fail` (the default) is a problem; pass, notApplicable, informational, review and open are not. */
function isProblem(result: JsonObject): boolean {
  const kind = result['kind'];
  return kind === undefined || kind === null || kind === 'fail';
}

function categoryOf(run: Run, rule: string, tags: string[], message: string): Category {
  if (run.kind === 'semgrep') return 'sast';
  const tagged = tags.map((t) => own(TRIVY_CATEGORY, t.toLowerCase())).find(Boolean);
  if (tagged) return tagged;
  if (/^(?:CVE-\d{4}-\d+|GHSA-)/i.test(rule) || /\bCVE-\d{4}-\d{4,}\b/.test(message)) return 'vulnerability';
  if (/codeql|lgtm|eslint|semgrep|sonar|bandit|gosec|brakeman/i.test(run.tool)) return 'sast';
  return 'other';
}

/**
 * A licence result of Trivy's SARIF, read as its JSON is: the rule id joins the package and the
 * licence (`:Apache-2.0` for a licence file), and the message names the JSON's Result target, the
 * package, the classification and the file (`Artifact: Loose File License(s)\nLicense
 * Apache-2.0\nPkgName: \n Classification: notice\n Path: vendor/lib/LICENSE`). A licence file
 * (no package) is placed on that file, as in the JSON. Undefined when the message is not so.
 */
function trivyLicence(
  run: Run,
  message: string,
): (ReturnType<typeof licenceTexts> & { key: string; pkg: string; location?: Location }) | undefined {
  const name = valueAfter(message, 'License ', true);
  const artifact = valueAfter(message, 'Artifact: ', true);
  if (!name || !artifact) return undefined;
  const pkgName = valueAfter(message, 'PkgName: ');
  const file = valueAfter(message, 'Path: ');
  const path = pkgName || !file ? undefined : normalisePath(file, run.ctx.root);
  const pkg = pkgName ?? file ?? '';
  return {
    ...licenceTexts(name, pkg, valueAfter(message, 'Classification: ')),
    key: trivyKeys.licence(name, pkg, artifact),
    pkg,
    ...(path && isRepositoryPath(path) ? { location: { path } } : {}),
  };
}

/** Trivy's SARIF says a result's Type in its message only. */
const TRIVY_PLAN_TYPE = /^Type: (?:terraformplan|terraformplan-snapshot)$/m;

/**
 * A result of Trivy's SARIF about a Terraform plan (TERRAFORM_PLANS in scanners/trivy.ts): its uri
 * is Trivy's rendering of the plan (`main.tf`) below a ROOTPATH that is the scanned path, the plan
 * file itself when it was scanned by name (`file:///repo/plan.json/`). Placed as the JSON's, on
 * that folder of the resolved path when it is the plan; `rendered` is the uri and the region as
 * written, which the key takes as the JSON's does.
 */
function trivyPlanPlace(
  run: Run,
  result: JsonObject,
  at: Location,
): { location?: Location; target?: string; rendered: { path: string; startLine?: number } } | undefined {
  if (!TRIVY_PLAN_TYPE.test(text(result['message']) ?? '')) return undefined;
  const uri = str(obj(obj(firstLocation(result)?.['physicalLocation'])?.['artifactLocation'])?.['uri']) ?? at.path;
  const scanned = path.posix.dirname(at.path);
  return { ...terraformPlanPlace(scanned === '.' ? '' : scanned, run.ctx), rendered: { path: uri, startLine: at.startLine } };
}

/** Gitleaks rules carry their description as `name` (older versions put the regex in shortDescription). */
function gitleaksDescription(rule: JsonObject | undefined): string | undefined {
  const short = text(rule?.['shortDescription']);
  return str(rule?.['name']) ?? (short && short.length <= 80 && !/[\\()[\]{}|^$]/.test(short) ? short : undefined);
}

/**
 * Gitleaks' own fingerprint of a SARIF result, as its JSON gives it and .gitleaksignore lists it
 * (`commit:file:rule:line`, without the commit in `dir` mode): from the commit in
 * partialFingerprints, the uri as Gitleaks wrote it, the rule and the start line.
 */
function gitleaksFingerprint(result: JsonObject, rule: string): string | undefined {
  const physical = obj(firstLocation(result)?.['physicalLocation']);
  const file = str(obj(physical?.['artifactLocation'])?.['uri']);
  const line = int(obj(physical?.['region'])?.['startLine']);
  if (!file || line === undefined || !str(result['ruleId'])) return undefined;
  const commit = str(obj(result['partialFingerprints'])?.['commitSha']);
  return `${commit ? `${commit}:` : ''}${file}:${rule}:${line}`;
}

/** A rule id prefixed with its severity label, as Trivy's SARIF template wrote them. */
const LABELLED_ID = /^\[(?:CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)\]\s+/;

/**
 * A vulnerability's rule id as the tool's JSON names it. Trivy's and Grype's SARIF rule ids say
 * more: Trivy's early template prefixed the label ("[MEDIUM] CVE-2019-1549"), 0.17–0.20 joined
 * the package and the target ("CVE-2019-1549/libcrypto1.1", "…: libcrypto1.1-1.1.1c-r0
 * CVE-2019-1549"), Grype joins the package ("CVE-1999-0001-package-1"). Their rules' help starts
 * with the vulnerability alone: "Vulnerability CVE-2019-1549".
 */
function ownId(run: Run, id: string, rule: JsonObject | undefined): string {
  if (run.kind !== 'trivy' && run.kind !== 'grype') return id;
  const named = /^Vulnerability (\S{1,256})(?!\S)/.exec(text(rule?.['help']) ?? '')?.[1];
  return named ?? (run.kind === 'trivy' ? id.replace(LABELLED_ID, '') || id : id);
}

/**
 * The rest of the line after the first `label` (at a line's start, with `atLineStart`), trimmed;
 * undefined when there is none or it is empty. Found with indexOf, not a pattern: a value may be
 * megabytes long, and a regexp's backtracking over it is bounded by V8's regexp stack.
 */
function valueAfter(text: string, label: string, atLineStart = false): string | undefined {
  let at = text.indexOf(label);
  while (atLineStart && at > 0 && text[at - 1] !== '\n') at = text.indexOf(label, at + 1);
  if (at < 0) return undefined;
  const from = at + label.length;
  const end = text.indexOf('\n', from);
  return text.slice(from, end < 0 ? text.length : end).trim() || undefined;
}

/** `name@version` from the first text that names a package ("Package: libssl1.1"), its version after `version` in that text. */
function packageOf(texts: (string | undefined)[], version: string, atLineStart = false): string | undefined {
  const about = texts.find((t) => t?.includes('Package: '));
  const name = about && valueAfter(about, 'Package: ');
  return name ? `${name}@${valueAfter(about, version, atLineStart) ?? ''}` : undefined;
}

/**
 * CWE ids of a hard-coded credential (password, key, credentials, a password in a configuration
 * file): a result of such a rule may quote the credential in its message, as Bandit's B105 does
 * ("Possible hardcoded password: 'hunter2'").
 */
const CREDENTIAL_CWES = ['CWE-259', 'CWE-260', 'CWE-321', 'CWE-798'];

/** A quoted literal of 4 to 200 characters on one line (bounded: see LOCATION_LINK): its value is the first group that took part. */
const QUOTED = /'([^'\n]{4,200})'|"([^"\n]{4,200})"|`([^`\n]{4,200})`/g;

/** At most this many literals of a message and its snippet are taken away (a huge snippet cannot make the work quadratic). */
const QUOTED_AT_MOST = 20;

/**
 * A hard-coded credential's message without the values it quotes, or that its snippet quotes:
 * they are the credential (or name it), and the message reaches every output. The snippet itself
 * is never written.
 */
function withoutQuotedValues(message: string, snippet: string | undefined): string {
  const values = new Set<string>();
  for (const text of [message, snippet ?? '']) {
    for (const m of text.matchAll(QUOTED)) {
      if (values.size >= QUOTED_AT_MOST) break;
      values.add((m[1] ?? m[2] ?? m[3])!);
    }
  }
  let shown = message;
  for (const value of values) shown = shown.replaceAll(value, REDACTED);
  return shown;
}

/**
 * A rule's short description when it describes the rule: not a template whose placeholders only
 * the message fills (ruff: `Possible hardcoded password assigned to: "{}"`), nor a bare
 * identifier (shellcheck-sarif: `SC2164`). Otherwise the title is the message's first line.
 */
function describing(short: string | undefined): string | undefined {
  if (short === undefined || /\{\w{0,40}\}/.test(short) || !/\s/.test(short.trim())) return undefined;
  return short;
}

/** The CWE ids a rule names through its relationships to the CWE taxonomy (gosec: `{ target: { id: "798", toolComponent: { name: "CWE" } } }`). */
function taxonomyCwes(rule: JsonObject | undefined): string[] {
  const ids: string[] = [];
  for (const item of arr(rule?.['relationships'])) {
    const target = obj(obj(item)?.['target']);
    const id = str(target?.['id']);
    if (id && /^\d{1,6}$/.test(id) && str(obj(target?.['toolComponent'])?.['name'])?.toUpperCase() === 'CWE') ids.push(`CWE-${id}`);
  }
  return ids;
}

/**
 * A result as the findings it stands for. PMD 6.31 to 6.42 put every violation of a rule in one
 * file into one result's `locations` (PMD issue #3768, fixed in 6.43): each is a finding of its
 * own. Other tools' further locations are where one problem shows, and the first is its place.
 */
function eachPlace(run: Run, item: unknown): unknown[] {
  const result = obj(item);
  const locations = arr(result?.['locations']);
  if (!result || locations.length < 2 || !PMD_DRIVER.test(run.name)) return [item];
  return locations.map((location) => ({ ...result, locations: [location] }));
}

function readResult(run: Run, item: unknown, index: number): void {
  const result = obj(item);
  if (!result) throw new ReportError(run.ctx.file, `run result ${index} is not an object; expected SARIF 2.1.0`);
  if (!isProblem(result)) return;
  const found = ruleOf(run, result);
  const rule = found.rule;
  const id = ownId(run, found.id, rule);
  const ruleProps = obj(rule?.['properties']);
  const tags = [...strings(ruleProps?.['tags']), ...strings(obj(result['properties'])?.['tags'])];
  const read = locationOf(run, result);
  const { snippet } = read;
  // Checkov's kubernetes framework may double the scanned directory in its paths (scanners/checkov.ts)
  const checkov = run.kind === 'checkov' && read.location ? checkovLocation(run, read.location, id, snippet) : undefined;
  // Trivy's rendering of a Terraform plan is no file (scanners/trivy.ts)
  const plan = run.kind === 'trivy' && read.location ? trivyPlanPlace(run, result, read.location) : undefined;
  const { location, target } = plan ?? (checkov ? { location: checkov, target: read.target } : read);
  const suppression = suppressionOf(run, result);
  const suppressed = suppression !== undefined;

  if (run.kind === 'gitleaks') {
    // Gitleaks SARIF carries the raw secret as the snippet (unless run with --redact); Gitleaks 7 also as properties.offender.
    const offender = str(obj(result['properties'])?.['offender']);
    run.ctx.sink.secret(offender);
    if (!offender || !snippet?.includes(offender)) run.ctx.sink.secret(snippet);
    const physical = obj(firstLocation(result)?.['physicalLocation']);
    // `gitleaks stdin` gives its leaks an empty uri: no file, but their lines; without any uri, the report
    const standardInput = obj(physical?.['artifactLocation'])?.['uri'] === '';
    addLeak(
      {
        rule: id,
        description: gitleaksDescription(rule),
        file: location?.path ?? (standardInput ? undefined : run.ctx.file),
        ...(location ?? regionOf(physical)),
        secret: offender ?? snippet,
        tags,
        fingerprint: gitleaksFingerprint(result, id),
      },
      run.ctx,
    );
    return;
  }

  // the message and the CWE ids (a Gitleaks result, above, reads neither)
  // a check of Checkov's secrets framework is a secret, as in its JSON (scanners/checkov.ts)
  const checkovSecret = run.kind === 'checkov' && isCheckovSecretRule(id);
  if (checkovSecret && snippet)
    addCodeSecrets(
      snippet.split(/\r?\n/).map((line) => ({ text: line })),
      undefined,
      run.ctx,
    );
  const cwe = checkovSecret ? ['CWE-798'] : cweIds([...tags, ...strings(ruleProps?.['cwe']), ...taxonomyCwes(rule)]);
  const told = cleanText(messageOf(run, result['message'], rule) ?? text(rule?.['shortDescription']) ?? id);
  const rawMessage = checkovSecret
    ? checkovSecretMessage(id, told)
    : CREDENTIAL_CWES.some((c) => cwe.includes(c))
      ? withoutQuotedValues(told, snippet)
      : told;

  // Semgrep's shortDescription is only "Semgrep Finding: <rule id>": its message says more.
  const title = firstLine((run.kind === 'semgrep' ? undefined : describing(text(rule?.['shortDescription']))) ?? rawMessage);
  const severity = severityOf(run, result, rule, tags, rawMessage);
  const category = checkovSecret ? 'secret' : categoryOf(run, id, tags, rawMessage);
  const licence = run.kind === 'trivy' && category === 'licence' ? trivyLicence(run, rawMessage) : undefined;
  let key: string;
  let pkg: string | undefined;
  if (run.kind === 'semgrep' && location) {
    key = semgrepKey(id, location, str(obj(result['fingerprints'])?.['matchBasedId/v1']));
  } else if (licence) {
    key = licence.key;
    pkg = licence.pkg || undefined;
  } else if (run.kind === 'trivy') {
    // a Terraform plan's result by its place in the rendering, as in Trivy's JSON
    const place = plan?.rendered.path ?? location?.path ?? target ?? '';
    const line = plan ? plan.rendered.startLine : location?.startLine;
    // the package is in the message; in the early template's SARIF only in its rule's help
    pkg = packageOf([rawMessage, text(rule?.['help']), text(rule?.['shortDescription'])], 'Installed Version: ');
    key =
      category === 'vulnerability'
        ? // Trivy 0.21 named no package at all: each result is one package's, as in its JSON
          trivyKeys.vulnerability(id, pkg ?? `result ${index}`, place)
        : category === 'secret'
          ? trivyKeys.secret(id, place, line)
          : trivyKeys.misconfiguration(id, place, line);
  } else {
    const fingerprints = { ...obj(result['partialFingerprints']), ...obj(result['fingerprints']) };
    const stable = Object.values(fingerprints)
      .filter((v) => typeof v === 'string' && v)
      .join(',');
    // the whole region: two results of one rule may start at one place (CodeQL: two replacements on one minified line)
    const where = location
      ? `${location.path}|${location.startLine ?? 0}|${location.startColumn ?? 0}|${location.endLine ?? 0}|${location.endColumn ?? 0}`
      : (target ?? '-');
    // Grype names the package in its rule's help (its rule id joins it to the vulnerability's)
    if (run.kind === 'grype') pkg = packageOf([text(rule?.['help'])], 'Version: ', true);
    key = `${run.tool}|${id}|${pkg ? `${pkg}|` : ''}${where}|${stable || createHash('sha256').update(rawMessage).digest('hex').slice(0, 16)}`;
  }
  const lineHash = str(obj(result['partialFingerprints'])?.['primaryLocationLineHash']);
  const matchId = run.kind === 'semgrep' ? semgrepStable(str(obj(result['fingerprints'])?.['matchBasedId/v1']), undefined) : '';
  run.ctx.sink.finding({
    tool: run.tool,
    key,
    // a content hash of the line (CodeQL's primaryLocationLineHash), else the snippet, else nothing; a
    // vulnerability of Grype's or Trivy's is its package, as in their JSON (Grype's line hash is of no source line)
    stable:
      (run.kind === 'grype' || run.kind === 'trivy') && category === 'vulnerability'
        ? ''
        : matchId || (lineHash ? `line:${lineHash}` : snippetHash(snippet)),
    rule: licence?.rule ?? id,
    title: licence?.title ?? title,
    message: licence?.message ?? rawMessage,
    severity,
    category,
    ...(licence?.location ? { location: licence.location } : location ? { location } : target ? { target } : {}),
    ...(pkg ? { package: pkg } : {}),
    suppressed,
    ...(suppression?.justification ? { justification: suppression.justification } : {}),
    cwe,
    cve: cveIds([id]),
    helpUri: str(rule?.['helpUri']),
  });
}

/** A `$schema` of SARIF 2.1.0 (the OASIS schema, SchemaStore's `sarif-2.1.0-rtm.N.json`, …). */
const SCHEMA_2_1_0 = /sarif[-_a-z]*2\.1\.0(?:[-.]|$)/i;

/** Any SARIF 2.1.0 log: one tool per run, tool-specific reading for Gitleaks, Semgrep and Trivy. */
export function parseSarif(doc: unknown, ctx: ParseContext): void {
  const log = obj(doc);
  if (!log || !('runs' in log)) throw new ReportError(ctx.file, 'expected a SARIF 2.1.0 log (an object with version and runs)');
  if (log['version'] !== '2.1.0') {
    // Gitleaks 8.0.0–8.0.3 wrote its own version there ("v8.0.0"), under a $schema of SARIF 2.1.0
    const schema = str(log['$schema']);
    const shown = JSON.stringify(log['version'] ?? null);
    if (!schema || !SCHEMA_2_1_0.test(schema)) throw new ReportError(ctx.file, `SARIF version ${shown} is not supported; expected "2.1.0"`);
    ctx.sink.problem(`${ctx.file}: SARIF version ${shown} is not "2.1.0"; read as SARIF 2.1.0, which its $schema names.`);
  }
  if (log['runs'] === null) {
    throw new ReportError(
      ctx.file,
      'has `runs: null`: its tool failed before it produced a run (SARIF 2.1.0 §3.13.4), so there are no results to gate on',
    );
  }
  if (!Array.isArray(log['runs'])) throw new ReportError(ctx.file, 'SARIF runs is not an array; expected SARIF 2.1.0');
  log['runs'].forEach((item, runIndex) => {
    const run = obj(item);
    const driver = obj(obj(run?.['tool'])?.['driver']);
    if (!run || !driver) throw new ReportError(ctx.file, `run ${runIndex} has no tool.driver; expected SARIF 2.1.0`);
    const name = str(driver['name']) ?? 'Unnamed tool';
    const known = scannerOfDriver(name)?.tool;
    const kind = known?.id ?? 'other';
    const tool = known?.id ?? toolSlug(name);
    ctx.sink.tool({
      id: tool,
      name: known?.name ?? name,
      version: str(driver['semanticVersion']) ?? str(driver['version']),
      informationUri: str(driver['informationUri']) ?? known?.informationUri,
    });
    const rules = arr(driver['rules']).map((r) => obj(r) ?? {});
    const extensions = arr(obj(run['tool'])?.['extensions']).map((item): Component => {
      const e = obj(item);
      return { name: str(e?.['name']), guid: str(e?.['guid']), rules: arr(e?.['rules']).map((r) => obj(r) ?? {}) };
    });
    const state: Run = {
      ctx,
      name,
      kind,
      tool,
      rules,
      extensions,
      // the driver's rules over the extensions'
      rulesById: byId(rules, byId(extensions.flatMap((e) => e.rules))),
      bases: obj(run['originalUriBaseIds']),
      artifacts: arr(run['artifacts']),
      messageStrings: obj(driver['globalMessageStrings']),
      image: kind === 'trivy' ? str(obj(run['properties'])?.['imageName']) : undefined,
      workingDirectory: workingDirectoryOf(run),
    };
    for (const item of arr(run['invocations'])) {
      const invocation = obj(item);
      let told = false;
      for (const note of arr(invocation?.['toolExecutionNotifications'])) {
        const message = text(obj(note)?.['message']);
        const level = str(obj(note)?.['level']) ?? 'warning';
        if (message && level !== 'note' && level !== 'none') ctx.sink.problem(`${name} ${level}: ${firstLine(message, 300)}`);
        told ||= level === 'error' && message !== undefined;
      }
      // a run that did not complete writes the same empty results as a clean tree: say so, unless its error was told
      if (invocation?.['executionSuccessful'] === false && !told) ctx.sink.problem(`${name}: ${unfinished(invocation)}`);
    }
    arr(run['results']).forEach((result, index) => {
      for (const one of eachPlace(state, result)) readResult(state, one, index);
    });
  });
}
