import path from 'node:path';
import { exec, InputError, markdownToText, requestPolicy } from '@pipeline-toolkit/core';
import { annotate, lint as runLint, lintSummary, LINTERS, readLintRequest } from '@pipeline-toolkit/lint';
import { githubToken, type Command } from '../command.ts';

export const lint: Command = {
  name: 'lint',
  summary: `Run the linters that fit the repository (${LINTERS.join(', ')})`,
  usage:
    'pipeline-toolkit lint [--linters auto|ruff,eslint,…] [--require ruff,helm] [--working-directory dir] [--scope changed --base main] [--fix] [--sarif lint.sarif [--upload]]',
  flags: [
    { name: 'linters', type: 'string', description: "'auto' (default) or a comma-separated list of linters" },
    { name: 'require', type: 'string', description: 'Linters that must run, comma-separated: one not installed fails (exit 1)' },
    { name: 'working-directory', type: 'string', description: 'Directory to lint (default: the current directory)' },
    { name: 'scope', type: 'string', description: "'changed' (only files changed since --base) or 'all' (default outside pull requests)" },
    { name: 'base', type: 'string', description: 'Branch, tag or commit --scope changed compares with (default: the pull request base)' },
    { name: 'fix', type: 'boolean', description: 'Apply ruff and ESLint fixes and print the diff (refused on the default branch)' },
    { name: 'allow-fix-on-default-branch', type: 'boolean', description: 'Allow --fix on the default branch' },
    { name: 'sarif', type: 'string', description: 'Write the findings as SARIF 2.1.0 to this file' },
    { name: 'category-prefix', type: 'string', description: 'Prefix of each linter run category in the SARIF file (default lint)' },
    { name: 'upload', type: 'boolean', description: 'Upload the SARIF file to code scanning (GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF)' },
    {
      name: 'wait-for-processing',
      type: 'boolean',
      description: 'After --upload, wait up to 2 minutes for code scanning to process the file, and fail if it could not (default true)',
    },
    { name: 'github-token', type: 'string', description: 'Token for --upload (default: GITHUB_TOKEN)' },
    { name: 'request-timeout', type: 'string', description: 'Longest wait for one upload request (default 30s)' },
    { name: 'request-deadline', type: 'string', description: 'Longest time for the upload, retries included (default 5m)' },
  ],
  async run({ inputs, io }) {
    const request = readLintRequest(inputs, io.env);
    const cwd = path.resolve(io.cwd, inputs.string('working-directory', { default: '.' }));
    const upload = inputs.boolean('upload', false);
    const waitForProcessing = inputs.boolean('wait-for-processing', true);
    const sarif = inputs.string('sarif', { default: upload ? 'lint.sarif' : '' }).trim();
    const policy = requestPolicy(inputs);
    const token = upload ? githubToken({ inputs, io }) : undefined;
    const [repository, sha, ref] = [io.env['GITHUB_REPOSITORY'], io.env['GITHUB_SHA'], io.env['GITHUB_REF']];
    if (upload && (!token || !repository || !sha || !ref)) {
      throw new InputError(
        'upload',
        '--upload needs --github-token (or GITHUB_TOKEN) and GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF in the environment.',
      );
    }
    io.log.setSecret(token);
    const sarifFile = sarif ? path.resolve(io.cwd, sarif) : undefined;
    const result = await runLint(
      { cwd, root: cwd, exec, log: io.log, env: io.env },
      { ...request, ...(sarifFile ? { sarifFile } : {}) },
      (n) => inputs.label(n),
    );
    annotate(io.log, result.runs);
    io.out(markdownToText(lintSummary(result.runs, result.passed, result.scope)));
    if (result.sarifFile) io.out(`\nSARIF: ${result.sarifFile}`);
    if (token && result.sarifFile) {
      const { uploadForRun } = await import('@pipeline-toolkit/sarif');
      await uploadForRun({ sarifFile: result.sarifFile, token, env: io.env, log: io.log, policy, uploader: 'lint', waitForProcessing });
    }
    return result.passed ? 0 : 1;
  },
};
