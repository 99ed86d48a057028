import { InputError, requestPolicy } from '@pipeline-toolkit/core';
import { readScanInputs, runScan, uploadForRun } from '@pipeline-toolkit/sarif';
import { flagInputs, githubToken, type Command } from '../command.ts';

/** Short flags of the README example, each the same as an input-named flag. */
const ALIASES: Record<string, string> = {
  gitleaks: 'gitleaks-report',
  semgrep: 'semgrep-report',
  trivy: 'trivy-report',
  sarif: 'output-sarif',
  report: 'reports',
};

export const scan: Command = {
  name: 'scan',
  summary: 'Aggregate Gitleaks, Semgrep, Trivy and other SARIF reports; gate on severity; write one SARIF file',
  usage:
    'pipeline-toolkit scan [--gitleaks g.json] [--semgrep s.json] [--trivy t.json] [--sarif-files "*.sarif"] [--report grype.json] [--fail-on high] [--sarif out.sarif]',
  flags: [
    { name: 'gitleaks-report', type: 'string', multiple: true, description: 'Gitleaks report (JSON or SARIF): path or glob' },
    { name: 'gitleaks', type: 'string', multiple: true, description: 'Same as --gitleaks-report' },
    { name: 'semgrep-report', type: 'string', multiple: true, description: 'Semgrep report (JSON or SARIF): path or glob' },
    { name: 'semgrep', type: 'string', multiple: true, description: 'Same as --semgrep-report' },
    { name: 'trivy-report', type: 'string', multiple: true, description: 'Trivy report (JSON or SARIF): path or glob' },
    { name: 'trivy', type: 'string', multiple: true, description: 'Same as --trivy-report' },
    { name: 'sarif-files', type: 'string', multiple: true, description: "Other tools' SARIF 2.1.0 files: paths or globs" },
    {
      name: 'reports',
      type: 'string',
      multiple: true,
      description: 'Report of any supported tool (SARIF, Gitleaks/Semgrep/Trivy/Grype/Checkov JSON), detected from content: path or glob',
    },
    { name: 'report', type: 'string', multiple: true, description: 'Same as --reports' },
    { name: 'run-scanners', type: 'string', description: "'none' (default) or 'available': run gitleaks/semgrep/trivy found on PATH" },
    { name: 'semgrep-config', type: 'string', multiple: true, description: 'Local Semgrep rule file or directory for --run-scanners' },
    { name: 'fail-on', type: 'string', description: 'critical | high (default) | medium | low | none' },
    { name: 'output-sarif', type: 'string', description: 'Where to write the SARIF file (default security-scan.sarif)' },
    { name: 'sarif', type: 'string', description: 'Same as --output-sarif' },
    { name: 'category-prefix', type: 'string', description: 'Prefix of each run category (default security-scan)' },
    { name: 'upload', type: 'boolean', description: 'Upload the SARIF file to code scanning (GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF)' },
    { name: 'github-token', type: 'string', description: 'Token for --upload (default: GITHUB_TOKEN)' },
    { name: 'scan-timeout', type: 'string', description: 'Longest run of one scanner started by --run-scanners (default 30m)' },
    { name: 'request-timeout', type: 'string', description: 'Longest wait for one upload request (default 30s)' },
    { name: 'request-deadline', type: 'string', description: 'Longest time for the upload, retries included (default 5m)' },
  ],
  async run({ inputs, lists, io }) {
    const label = (name: string) => inputs.label(name);
    // Repeatable flags and the short aliases read as the one input they stand for.
    const options = readScanInputs(flagInputs({ inputs, lists }, ALIASES), label);
    const policy = requestPolicy(inputs);
    const token = options.upload ? githubToken({ inputs, io }) : undefined;
    const [repository, sha, ref] = [io.env['GITHUB_REPOSITORY'], io.env['GITHUB_SHA'], io.env['GITHUB_REF']];
    if (options.upload && (!token || !repository || !sha || !ref)) {
      throw new InputError(
        'upload',
        '--upload needs --github-token (or GITHUB_TOKEN) and GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF in the environment.',
      );
    }
    io.log.setSecret(token);

    const result = await runScan(options, { log: io.log, env: io.env, cwd: io.cwd, label });
    io.out(result.console);
    io.out(`\nSARIF: ${result.sarifFile}\nFindings: ${result.findingsFile}`);
    if (token && repository && sha && ref) await uploadForRun({ sarifFile: result.sarifFile, token, env: io.env, log: io.log, policy });
    return result.gate.passed ? 0 : 1;
  },
};
