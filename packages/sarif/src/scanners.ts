import path from 'node:path';
import { ExternalError, findOnPath, type Exec, type Logger } from '@pipeline-toolkit/core';

export type ScannerKind = 'gitleaks' | 'semgrep' | 'trivy';

export interface ScannerCommand {
  kind: ScannerKind;
  command: string;
  args: string[];
  /** Extra environment; values already set in the environment win (so a user can, say, choose Trivy's scanners). */
  env: Record<string, string>;
  report: string;
  okExitCodes: number[];
}

/** Trivy releases that shipped a credential stealer (CVE-2026-33634); never run them. */
export const MALICIOUS_TRIVY = ['0.69.4', '0.69.5', '0.69.6'];

/**
 * The pinned command line of each scanner, JSON report into `outDir`:
 * - gitleaks scans the work tree with `--redact`, so the report never holds a secret;
 * - semgrep runs only local rule files, with metrics and the version check off (no network);
 * - trivy scans the file system (`fs`); its scanners default to vulnerabilities, misconfigurations and secrets.
 */
export function scannerCommand(
  kind: ScannerKind,
  options: { command: string; workspace: string; outDir: string; semgrepConfig: readonly string[] },
): ScannerCommand {
  const report = path.join(options.outDir, `${kind}.json`);
  const { command, workspace } = options;
  switch (kind) {
    case 'gitleaks':
      return {
        kind,
        command,
        args: ['dir', '--no-banner', '--redact', '--exit-code', '0', '--report-format', 'json', '--report-path', report, workspace],
        env: {},
        report,
        okExitCodes: [0],
      };
    case 'semgrep':
      return {
        kind,
        command,
        args: [
          'scan',
          ...options.semgrepConfig.flatMap((c) => ['--config', path.resolve(workspace, c)]),
          '--json',
          '--output',
          report,
          '--metrics',
          'off',
          '--disable-version-check',
          '--quiet',
          workspace,
        ],
        env: { SEMGREP_SEND_METRICS: 'off', SEMGREP_ENABLE_VERSION_CHECK: '0' },
        report,
        okExitCodes: [0, 1],
      };
    case 'trivy':
      return {
        kind,
        command,
        args: ['fs', '--format', 'json', '--output', report, '--exit-code', '0', '--quiet', workspace],
        env: { TRIVY_SCANNERS: 'vuln,misconfig,secret' },
        report,
        okExitCodes: [0],
      };
  }
}

export interface ScannerDeps {
  exec: Exec;
  log: Logger;
  env: NodeJS.ProcessEnv;
  which?: (name: string, env: NodeJS.ProcessEnv) => string | undefined;
}

/**
 * `run-scanners: available`: runs each scanner whose report was not given and that is on PATH,
 * and returns the reports it wrote. A scanner that is not there is skipped with a notice.
 */
export async function runAvailableScanners(
  kinds: readonly ScannerKind[],
  options: { workspace: string; outDir: string; semgrepConfig: readonly string[]; timeoutMs?: number },
  deps: ScannerDeps,
): Promise<{ kind: ScannerKind; file: string }[]> {
  const which = deps.which ?? findOnPath;
  const reports: { kind: ScannerKind; file: string }[] = [];
  for (const kind of kinds) {
    const command = which(kind, deps.env);
    if (!command) {
      deps.log.notice(`run-scanners: ${kind} is not on PATH; its report is skipped.`);
      continue;
    }
    if (kind === 'semgrep' && !options.semgrepConfig.length) {
      deps.log.notice('run-scanners: semgrep is on PATH but semgrep-config names no local rule files; semgrep is skipped.');
      continue;
    }
    if (kind === 'trivy') await refuseMaliciousTrivy(command, deps);
    const run = scannerCommand(kind, { command, ...options });
    const env = Object.fromEntries(Object.entries(run.env).filter(([k]) => deps.env[k] === undefined));
    await deps.log.group(`Running ${kind}`, () =>
      deps.exec(run.command, run.args, {
        env,
        okExitCodes: run.okExitCodes,
        logger: deps.log,
        stream: true,
        timeoutMs: options.timeoutMs ?? SCAN_TIMEOUT_MS,
        timeoutInput: 'scan-timeout',
      }),
    );
    reports.push({ kind, file: run.report });
  }
  return reports;
}

/** A scanner that runs longer than this is stopped (input scan-timeout). */
const SCAN_TIMEOUT_MS = 30 * 60_000;

async function refuseMaliciousTrivy(command: string, deps: ScannerDeps): Promise<void> {
  const { stdout } = await deps.exec(command, ['--version'], { logger: deps.log, timeoutMs: 60_000 });
  const version = /Version:\s*v?(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  if (version && MALICIOUS_TRIVY.includes(version)) {
    throw new ExternalError(
      `Refusing to run trivy ${version} at ${command}: releases ${MALICIOUS_TRIVY.join(', ')} were malicious (CVE-2026-33634). Install a verified release.`,
    );
  }
}
