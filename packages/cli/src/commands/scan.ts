import { InputError, requestPolicy } from '@pipeline-toolkit/core';
import {
  commentNewFindings,
  gateMessage,
  pullRequestBaseline,
  namesOf,
  prepareScanners,
  readInstallInputs,
  readScanInputs,
  registryInputs,
  runScan,
  SCANNERS,
  uploadForRun,
} from '@pipeline-toolkit/sarif';
import { flagInputs, githubToken, type Command, type Flag } from '../command.ts';

/** The flags that follow from the scanner registry (a report flag per scanner, --sarif-files, --reports, --run-scanners), each with its short alias. */
const fromRegistry = registryInputs();

/** Short flags, each the same as an input-named flag. */
const ALIASES: Record<string, string> = {
  ...Object.fromEntries(fromRegistry.filter((i) => i.alias).map((i) => [i.alias!, i.name])),
  sarif: 'output-sarif',
};

export const scan: Command = {
  name: 'scan',
  summary: `Aggregate ${namesOf(SCANNERS)} and other SARIF reports; gate on severity; write one SARIF file`,
  usage: `pipeline-toolkit scan ${SCANNERS.map((s) => `[--${s.tool.id} ${s.tool.id}.json]`).join(' ')} [--sarif-files "*.sarif"] [--report any.json] [--fail-on high] [--sarif out.sarif]`,
  flags: [
    ...fromRegistry.flatMap((i): Flag[] => [
      { name: i.name, type: i.type ?? 'string', ...(i.multiple ? { multiple: true } : {}), description: i.description },
      ...(i.alias
        ? [
            {
              name: i.alias,
              type: i.type ?? ('string' as const),
              ...(i.multiple ? { multiple: true } : {}),
              description: `Same as --${i.name}`,
            },
          ]
        : []),
    ]),
    { name: 'semgrep-config', type: 'string', multiple: true, description: 'Local Semgrep rule file or directory for --run-scanners' },
    { name: 'image', type: 'string', description: 'A container image Trivy scans too: a reference or a docker save / OCI archive (.tar)' },
    {
      name: 'diff-base',
      type: 'string',
      description: 'Diff-aware scan: the commit or branch whose merge base with HEAD the scan starts from',
    },
    {
      name: 'install-scanners',
      type: 'string',
      description: 'Install verified, pinned scanners first: none (default), all, or gitleaks,semgrep,trivy',
    },
    {
      name: 'tools-dir',
      type: 'string',
      description: 'Where --install-scanners installs (default $RUNNER_TOOL_CACHE or ~/.cache, /pipeline-toolkit-scanners)',
    },
    { name: 'scanner-mirror', type: 'string', description: 'Base URL or directory serving the release archives under their asset names' },
    {
      name: 'scanner-checksums',
      type: 'string',
      description: 'sha256sum-format file replacing the stored checksums (a mirror of your own builds)',
    },
    {
      name: 'trivy-cache-dir',
      type: 'string',
      description: "Trivy's cache folder holding its vulnerability database (default <tools-dir>/trivy-cache)",
    },
    {
      name: 'trivy-db-repository',
      type: 'string',
      multiple: true,
      description:
        "Where Trivy's database is downloaded from, in order (default mirror.gcr.io/aquasec/trivy-db:2, ghcr.io/aquasecurity/trivy-db:2)",
    },
    { name: 'trivy-db-max-age', type: 'string', description: 'Reuse a Trivy database younger than this (default 24h)' },
    { name: 'fail-on', type: 'string', description: 'critical | high (default) | medium | low | none' },
    { name: 'output-sarif', type: 'string', description: 'Where to write the SARIF file (default security-scan.sarif)' },
    { name: 'sarif', type: 'string', description: 'Same as --output-sarif' },
    { name: 'category-prefix', type: 'string', description: 'Prefix of each run category (default security-scan)' },
    { name: 'upload', type: 'boolean', description: 'Upload the SARIF file to code scanning (GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF)' },
    {
      name: 'wait-for-processing',
      type: 'boolean',
      description: 'After --upload, wait up to 2 minutes for code scanning to process the file, and fail if it could not (default true)',
    },
    {
      name: 'github-token',
      type: 'string',
      description: 'Token for --upload, the base branch baseline lookup and --pr-comment (default: GITHUB_TOKEN)',
    },
    {
      name: 'scan-timeout',
      type: 'string',
      description: 'Longest run of one scanner started by --run-scanners (default 30m; from 1s to 6h)',
    },
    { name: 'request-timeout', type: 'string', description: 'Longest wait for one upload request (default 30s; from 100ms to 1h)' },
    { name: 'request-deadline', type: 'string', description: 'Longest time for the upload, retries included (default 5m; from 1s to 6h)' },
  ],
  async run({ inputs, lists, io }) {
    const label = (name: string) => inputs.label(name);
    // Repeatable flags and the short aliases read as the one input they stand for.
    const options = readScanInputs(flagInputs({ inputs, lists }, ALIASES), label);
    const policy = requestPolicy(inputs);
    const token = options.upload ? githubToken({ inputs, io }) : undefined;
    // in a pull request job, the base branch's findings and the comment use the token too
    const apiToken = githubToken({ inputs, io });
    const [repository, sha, ref] = [io.env['GITHUB_REPOSITORY'], io.env['GITHUB_SHA'], io.env['GITHUB_REF']];
    if (options.upload && (!token || !repository || !sha || !ref)) {
      throw new InputError(
        'upload',
        '--upload needs --github-token (or GITHUB_TOKEN) and GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF in the environment.',
      );
    }
    io.log.setSecret(apiToken);

    const install = readInstallInputs(flagInputs({ inputs, lists }, ALIASES), io.env, label);
    const env = install ? await prepareScanners(install, options, { log: io.log, env: io.env }) : io.env;
    const api =
      apiToken && repository
        ? { token: apiToken, repository, apiUrl: io.env['GITHUB_API_URL'] ?? 'https://api.github.com', policy }
        : undefined;
    const found = await pullRequestBaseline(options, io.env, api, io.log);
    const result = await runScan(options, { log: io.log, env, cwd: io.cwd, label, ...found });
    await commentNewFindings(options, io.env, api, result, io.log);
    io.out(result.console);
    io.out(`\nSARIF: ${result.sarifFile}\nFindings: ${result.findingsFile}`);
    if (!result.gate.passed) io.log.error(gateMessage(result));
    if (token && repository && sha && ref) {
      await uploadForRun({
        sarifFile: result.sarifFile,
        token,
        env: io.env,
        log: io.log,
        policy,
        waitForProcessing: options.waitForProcessing,
      });
    }
    return result.gate.passed ? 0 : 1;
  },
};
