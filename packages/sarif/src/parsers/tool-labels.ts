import { own } from '@pipeline-toolkit/core';
import { obj, str, type JsonObject } from '../json.ts';
import { severityFromScore, severityFromSecurityLabel, type Severity } from '../model.ts';

/**
 * Other tools' own severity labels in their SARIF, which their `level` only approximates
 * (docs/security-scan.md, "Other tools' own labels"; ADR-049). Each is a source of `severityOf`,
 * read before `security-severity` and `level`: the name a warning gives, the value as written
 * (undefined when the tool states nothing) and how to read it.
 */
export type LabelSource = [name: string, value: unknown, read: (value: unknown) => Severity | undefined];

/**
 * DevSkim's `Severity`, written by name since 1.0 and as its flag value before (0.6:
 * `Critical = 1, Important = 2, Moderate = 4, BestPractice = 8, ManualReview = 16`). DevSkim
 * writes Critical and Important as `error` and Moderate as `warning`, or (0.6) every one of the
 * three as `error`. BestPractice and ManualReview are `note`, and stay LOW.
 */
const DEVSKIM: Record<string, Severity> = {
  critical: 'CRITICAL',
  '1': 'CRITICAL',
  important: 'HIGH',
  '2': 'HIGH',
  moderate: 'MEDIUM',
  '4': 'MEDIUM',
  bestpractice: 'LOW',
  '8': 'LOW',
  manualreview: 'LOW',
  '16': 'LOW',
};

/**
 * PMD's rule priority (`properties.priority`, 1 = High … 5 = Low). PMD 6.31 to 7.12 wrote no
 * `level` at all (every result read as `warning`); from 7.13 it writes 1 and 2 as `error`, 3 as
 * `warning`, 4 and 5 as `note`, which this reads alike.
 */
const PMD_PRIORITY: Record<string, Severity> = { '1': 'HIGH', '2': 'HIGH', '3': 'MEDIUM', '4': 'LOW', '5': 'LOW' };
export const PMD_DRIVER = /^pmd$/i;

function pmdPriority(value: unknown): Severity | undefined {
  return typeof value === 'string' || typeof value === 'number' ? own(PMD_PRIORITY, String(value).trim()) : undefined;
}

/**
 * The Veracode pipeline-scan converter (veracode-pipeline-scan-results-to-sarif, since its
 * 2023 severities) makes one rule per CWE, scored (`security-severity`) by the first flaw of that
 * CWE, and gives each result its own flaw's score as `rank` (Very High 9.0, High 7.0, Medium 4.0,
 * Low 0.1): a Very High flaw after a Medium one of its CWE would read as MEDIUM by its rule. Its
 * earlier releases scored no rule and ranked by Veracode's 0–5 scale, so `rank` is read only
 * where the rule has a score.
 */
const VERACODE_DRIVER = /^Veracode Static Analysis/i;

function devskimSeverity(value: unknown): Severity | undefined {
  return typeof value === 'string' || typeof value === 'number' ? own(DEVSKIM, String(value).trim().toLowerCase()) : undefined;
}

/**
 * The label that dependency-check and Snyk put before a rule's short description:
 * `high severity - CVE-2021-44228 …` (dependency-check's `ReportTool.determineScore`: the
 * advisory's own label, else CVSS v4, v3, v2), `Low severity - S3 bucket …` (Snyk IaC, Open
 * Source and Container). Both write every other severity as `warning` (dependency-check writes
 * every result so). `unknown` states nothing.
 */
const PREFIXED = /^(critical|high|medium|low) severity - /i;
const PREFIXING_DRIVERS = /^(?:dependency-check$|snyk )/i;

/**
 * The sources of a result's own label, for the tools that write one; the caller reads them in
 * order before `security-severity`. `after` is read after `security-severity`: dependency-check's
 * CVSS v2 label, which it gives a rule whose advisory has no CVSS v3 or v4 score (and so no
 * `security-severity`). Its v2 score is not banded as a v3 one: 9.3 is HIGH in CVSS v2.
 */
export function toolLabels(
  driver: string,
  result: JsonObject,
  rule: JsonObject | undefined,
): { before: LabelSource[]; after: LabelSource[] } {
  const props = obj(result['properties']);
  const ruleProps = obj(rule?.['properties']);
  const before: LabelSource[] = [
    ['result DevSkimSeverity', props?.['DevSkimSeverity'], devskimSeverity],
    ['rule DevSkimSeverity', ruleProps?.['DevSkimSeverity'], devskimSeverity],
    ['result qodanaSeverity', props?.['qodanaSeverity'], severityFromSecurityLabel],
  ];
  if (PMD_DRIVER.test(driver)) before.push(['rule priority', ruleProps?.['priority'], pmdPriority]);
  if (VERACODE_DRIVER.test(driver) && ruleProps?.['security-severity'] !== undefined) {
    before.push(['result rank', result['rank'], severityFromScore]);
  }
  if (!PREFIXING_DRIVERS.test(driver)) return { before, after: [] };
  const description = str(obj(rule?.['shortDescription'])?.['text']);
  before.push(['rule shortDescription', PREFIXED.exec(description?.slice(0, 32) ?? '')?.[1], severityFromSecurityLabel]);
  return { before, after: [['rule cvssv2_severity', ruleProps?.['cvssv2_severity'], severityFromSecurityLabel]] };
}
