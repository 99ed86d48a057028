import { cancelOnSignals, loadSuite, readSmokeInputs, runSuite, writeReports } from '@pipeline-toolkit/smoke';
import type { Command } from '../command.ts';

export const smoke: Command = {
  name: 'smoke',
  summary: 'Run the smoke checks (smoke.yml or the built-in suite) against a target',
  usage:
    'pipeline-toolkit smoke [--config smoke.yml] [--target local|production|URL] [--tags critical] [--junit out.xml] [--json out.json]',
  flags: [
    { name: 'config', type: 'string', description: 'Suite file (default: smoke.yml if it exists, else the built-in default suite)' },
    { name: 'target', type: 'string', description: "A target of the suite ('local' by default, 'production') or an http(s) URL" },
    { name: 'tags', type: 'string', description: "Run only checks with any of these tags (comma-separated; '!tag' excludes)" },
    { name: 'env-file', type: 'string', description: 'A .env file (default: .env if it exists); variables already set win' },
    {
      name: 'wait-until-healthy',
      type: 'string',
      description: 'Poll the health check up to this long before the suite (e.g. 2m; at most 1h)',
    },
    { name: 'fail-on-flaky', type: 'boolean', description: 'Fail when a flaky check passed only after retries' },
    { name: 'fail-fast', type: 'boolean', description: 'Stop once a critical check has failed' },
    { name: 'allow-mutating', type: 'boolean', description: 'Allow non-GET/HEAD requests against production' },
    { name: 'junit-file', type: 'string', description: 'Write the JUnit XML report here' },
    { name: 'junit', type: 'string', description: 'Same as --junit-file' },
    { name: 'json-file', type: 'string', description: 'Write the JSON result here' },
    { name: 'json', type: 'string', description: 'Same as --json-file' },
  ],
  async run({ inputs, io }) {
    const options = readSmokeInputs(inputs, { junitFile: inputs.string('junit'), jsonFile: inputs.string('json') });
    const suite = await loadSuite({ config: options.config, envFile: options.envFile, env: io.env, cwd: io.cwd });
    const cancel = cancelOnSignals();
    const result = await runSuite(suite, { ...options, log: io.log, cwd: io.cwd, signal: cancel.signal }).finally(cancel.dispose);
    const files = await writeReports(result, { json: options.jsonFile, junit: options.junitFile, cwd: io.cwd }, io.log.redactor);
    if (files.json) io.log.info(`JSON result: ${files.json}`);
    if (files.junit) io.log.info(`JUnit report: ${files.junit}`);
    return result.result === 'passed' ? 0 : 1;
  },
};
