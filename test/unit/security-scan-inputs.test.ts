import { describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { Inputs, MemoryLogger, MemoryOutputs, MemoryState, MemorySummary, type ActionContext } from '@pipeline-toolkit/core';
import { registryInputs, SCANNERS } from '@pipeline-toolkit/sarif';
import { repoRoot } from '@pipeline-toolkit/testing';
import { run } from '../../actions/security-scan/src/main.ts';
import { scan } from '../../packages/cli/src/commands/scan.ts';

const fixtures = path.join(repoRoot, 'test/fixtures/scanners');

async function actionInputs(): Promise<string[]> {
  const action = parse(await readFile(path.join(repoRoot, 'actions/security-scan/action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  return Object.keys(action.inputs);
}

/** A real report of each scanner (and two other tools' SARIF) copied into a workspace, by the input that takes it. */
const REPORTS: Record<string, string> = {
  'gitleaks-report': 'gitleaks/gitleaks-v7.5.0.json',
  'semgrep-report': 'semgrep/semgrep-json-critical-severity.json',
  'trivy-report': 'trivy/trivy-repo-secrets.json',
  'grype-report': 'grype/grype-json-dir-golden.json',
  'checkov-report': 'checkov/checkov-terraform-severity.json',
  'sarif-files': 'other/codeql-action-valid-multirun.sarif',
  reports: 'other/dockle-0.3.15-image-no-locations.sarif',
};

describe('security-scan inputs, the scanner registry and the scan flags', () => {
  it('every action.yml input is read by the action (a run that is given all of them reads each one)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scan-inputs-'));
    await mkdir(path.join(dir, 'rules'));
    const values: Record<string, string> = {
      'run-scanners': 'available',
      'semgrep-config': 'rules',
      'fail-on': 'none',
      'output-sarif': 'out.sarif',
      upload: 'true',
      // not waited for: the stand-in below answers the upload only
      'wait-for-processing': 'false',
      'github-token': 'token-for-the-test',
      'category-prefix': 'scan',
      'scan-timeout': '5m',
      'request-timeout': '10s',
      'request-deadline': '1m',
    };
    for (const [input, file] of Object.entries(REPORTS)) {
      await copyFile(path.join(fixtures, file), path.join(dir, path.basename(file)));
      values[input] = path.basename(file);
    }
    const read = new Set<string>();
    const inputs = new Inputs((name) => {
      read.add(name);
      return values[name];
    });
    const outputs = new MemoryOutputs();
    const ctx: ActionContext = {
      inputs,
      log: new MemoryLogger(),
      outputs,
      state: new MemoryState(),
      summary: new MemorySummary(),
      env: {
        GITHUB_WORKSPACE: dir,
        RUNNER_TEMP: dir,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_REF: 'refs/heads/main',
      },
    };
    const uploads: string[] = [];
    await run(ctx, {
      which: () => undefined, // no scanner on PATH: run-scanners runs none
      fetch: async (url) => {
        uploads.push(String(url));
        return new Response(JSON.stringify({ id: 'up-1' }), { status: 202 });
      },
    });
    const names = await actionInputs();
    expect(names.filter((name) => !read.has(name))).toEqual([]);
    // and what was read had its effect: every report's tool is counted, the upload was made
    const written = JSON.parse(await readFile(path.join(dir, 'out.sarif'), 'utf8')) as { runs: { tool: { driver: { name: string } } }[] };
    const drivers = new Set(written.runs.map((r) => r.tool.driver.name));
    for (const name of ['Gitleaks', 'Semgrep', 'Trivy', 'Grype', 'Checkov']) expect(drivers).toContain(name);
    expect(uploads).toEqual(['https://api.github.com/repos/acme/shop/code-scanning/sarifs']);
  });

  it('every action.yml input has a flag of the same name in `pipeline-toolkit scan`', async () => {
    const flags = new Set(scan.flags.map((f) => f.name));
    expect((await actionInputs()).filter((name) => !flags.has(name))).toEqual([]);
  });

  it('every registered scanner has its input in action.yml and its flag and short flag in the CLI', async () => {
    const names = await actionInputs();
    const flags = new Map(scan.flags.map((f) => [f.name, f]));
    for (const scanner of SCANNERS) {
      expect(names).toContain(scanner.input);
      expect(flags.get(scanner.input)?.multiple).toBe(true);
      expect(flags.get(scanner.tool.id)?.description).toBe(`Same as --${scanner.input}`);
    }
    // the registry's inputs are action.yml's, in its order
    expect(names.filter((n) => registryInputs().some((i) => i.name === n))).toEqual(registryInputs().map((i) => i.name));
  });
});
