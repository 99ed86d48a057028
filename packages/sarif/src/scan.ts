import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec as defaultExec, InputError, type Exec, type Logger } from '@pipeline-toolkit/core';
import { Aggregator, countFindings, type SeverityCounts } from './aggregate.ts';
import { expandReports } from './files.ts';
import { evaluateGate } from './gate.ts';
import { ReportError } from './json.ts';
import { loadReport, type ReportKind } from './load.ts';
import type { ScanOptions } from './options.ts';
import type { ScanReport } from './report.ts';
import { runAvailableScanners, type ScannerKind } from './scanners.ts';
import { writeFindings } from './findings-file.ts';
import { writeSarif, type SarifStats } from './writer.ts';

export interface ScanDeps {
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The repository root (GITHUB_WORKSPACE or the current directory): paths are relative to it. */
  cwd: string;
  exec?: Exec;
  which?: (name: string, env: NodeJS.ProcessEnv) => string | undefined;
  /** Names an input in messages: `Input 'x'` (action) or `--x` (CLI). */
  label?: (name: string) => string;
}

export interface ScanResult extends ScanReport {
  counts: { bySeverity: SeverityCounts; suppressed: number; total: number };
  sarif: SarifStats;
  sarifFile: string;
  findingsFile: string;
}

/** Fingerprints listed in the repository's .gitleaksignore (comments and blank lines skipped). */
async function gitleaksIgnore(cwd: string): Promise<Set<string>> {
  const file = path.join(cwd, '.gitleaksignore');
  if (!existsSync(file)) return new Set();
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).map((l) => l.trim());
  return new Set(lines.filter((l) => l && !l.startsWith('#')));
}

/**
 * The whole scan: expand the report inputs, run the available scanners for the reports not given,
 * read every report (one at a time, dropping each raw document), deduplicate, gate, and write the
 * SARIF and findings files. Uploading is a separate step (uploadSarif).
 */
export async function runScan(options: ScanOptions, deps: ScanDeps): Promise<ScanResult> {
  const label = deps.label ?? ((n: string) => `Input '${n}'`);
  const sources: { input: string; kind: ReportKind; file: string }[] = [];
  for (const report of options.reports) {
    for (const file of await expandReports(report.patterns, deps.cwd, report.input, label))
      sources.push({ input: report.input, kind: report.kind, file });
  }
  if (options.runScanners === 'available') {
    const given = new Set(options.reports.map((r) => r.kind));
    const missing = (['gitleaks', 'semgrep', 'trivy'] as ScannerKind[]).filter((k) => !given.has(k));
    const outDir = await mkdtemp(path.join(deps.env['RUNNER_TEMP'] ?? tmpdir(), 'security-scan-'));
    const produced = await runAvailableScanners(
      missing,
      { workspace: deps.cwd, outDir, semgrepConfig: options.semgrepConfig },
      { exec: deps.exec ?? defaultExec, log: deps.log, env: deps.env, which: deps.which },
    );
    for (const { kind, file } of produced) sources.push({ input: 'run-scanners', kind, file });
  }

  const agg = new Aggregator();
  const ignore = await gitleaksIgnore(deps.cwd);
  for (const { input, kind, file } of sources) {
    agg.startReport(file);
    try {
      await loadReport(file, kind, { root: deps.cwd, sink: agg, gitleaksIgnore: ignore });
    } catch (error) {
      if (error instanceof ReportError) throw new InputError(input, `${label(input)}: ${error.message}`);
      throw error;
    }
  }
  const findings = agg.findings();
  // A second layer: anything else this run logs or outputs is redacted too.
  for (const secret of agg.secrets.values()) deps.log.redactor.add(secret);

  const gate = evaluateGate(findings, options.failOn);
  const sarifFile = path.resolve(deps.cwd, options.outputSarif);
  const findingsFile = path.resolve(deps.cwd, options.findingsFile);
  const sarif = await writeSarif(sarifFile, findings, agg.tools, { categoryPrefix: options.categoryPrefix, root: deps.cwd });
  await writeFindings(findingsFile, findings);
  const problems = agg.problems.map((p) => agg.secrets.redact(p));
  return { findings, tools: agg.tools, gate, problems, sarif, counts: countFindings(findings), sarifFile, findingsFile };
}
