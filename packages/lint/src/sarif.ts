import { createHash } from 'node:crypto';
// the modules themselves, not the package's index: the whole aggregation (and zod) stays out of the lint bundle
import { toUri } from '@pipeline-toolkit/sarif/paths';
import { GITHUB_LIMITS } from '@pipeline-toolkit/sarif/writer';
import type { LintFinding, Linter, LinterRun } from './model.ts';

/**
 * Lint findings as SARIF 2.1.0 for GitHub code scanning: one run per linter that ran (a clean run
 * too, so that code scanning closes the alerts a fix removed), each under its own category
 * `<prefix>/<linter>/`. Uploading goes through the sarif package's upload (limits, retries,
 * timeouts), the same path as security-scan.
 */

export interface LintSarifOptions {
  /** Category prefix: each run gets `automationDetails.id` `<prefix>/<linter>/`. */
  categoryPrefix: string;
  /** The linters' tool names and links, by linter name. */
  linters: readonly Pick<Linter, 'name' | 'tool' | 'homepage'>[];
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A result's identity across commits: linter, rule, file and message (not the line, which moves), plus its occurrence. */
function fingerprint(f: LintFinding, seen: Map<string, number>): string {
  const base = createHash('sha256')
    .update(`${f.linter}\0${f.rule ?? ''}\0${f.file}\0${f.message}`)
    .digest('hex')
    .slice(0, 32);
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return `${base}:${n}`;
}

function region(f: LintFinding) {
  if (f.line === undefined || f.line < 1) return undefined;
  const startColumn = f.column !== undefined && f.column >= 1 ? f.column : undefined;
  const endLine = f.endLine !== undefined && f.endLine >= f.line ? f.endLine : undefined;
  const sameLine = (endLine ?? f.line) === f.line;
  const endColumn =
    f.endColumn !== undefined && f.endColumn >= 1 && (!sameLine || f.endColumn > (startColumn ?? 1)) ? f.endColumn : undefined;
  return {
    startLine: f.line,
    ...(startColumn ? { startColumn } : {}),
    ...(endLine ? { endLine } : {}),
    ...(endColumn ? { endColumn } : {}),
  };
}

function sarifRun(run: LinterRun, options: LintSarifOptions) {
  const info = options.linters.find((l) => l.name === run.linter);
  const findings = run.findings.slice(0, GITHUB_LIMITS.resultsPerRun);
  const ruleIds = [...new Set(findings.map((f) => f.rule ?? run.linter))];
  const seen = new Map<string, number>();
  return {
    tool: {
      driver: {
        name: info?.tool ?? run.linter,
        ...(info?.homepage ? { informationUri: info.homepage } : {}),
        rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: `${run.linter} ${id}` } })),
      },
    },
    automationDetails: { id: `${options.categoryPrefix}/${run.linter}/` },
    columnKind: 'utf16CodeUnits',
    results: findings.map((f) => {
      const where = region(f);
      return {
        ruleId: f.rule ?? run.linter,
        ruleIndex: ruleIds.indexOf(f.rule ?? run.linter),
        level: f.severity,
        message: { text: truncate(f.message || f.rule || run.linter, GITHUB_LIMITS.messageChars) },
        locations: [{ physicalLocation: { artifactLocation: { uri: toUri(f.file) }, ...(where ? { region: where } : {}) } }],
        partialFingerprints: { 'pipelineToolkitLint/v1': fingerprint(f, seen) },
      };
    }),
  };
}

/** The SARIF log of the linters that ran; linters that did not run (missing, failed, unchanged) have no run. */
export function lintSarif(runs: readonly LinterRun[], options: LintSarifOptions) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: runs.filter((r) => r.outcome === 'ran').map((r) => sarifRun(r, options)),
  };
}
