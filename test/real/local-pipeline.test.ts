import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@pipeline-toolkit/testing';

/** `npm start`: every stage of the pipeline on the example service, with the real tools of this tier. */
describe('local pipeline run (npm start)', () => {
  it('passes every stage: lint, build, test, scan, blue-green deploy to the local control plane, smoke, notify, record', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'pipeline.ts')], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 600_000,
    });
    const table = run.stdout.slice(run.stdout.lastIndexOf('\nPipeline\n'));
    const stages = [...table.matchAll(/^ {2}(✔|✘|–) (\S+) +(passed|failed|skipped)/gm)].map((m) => [m[2], m[3]]);
    expect(stages).toEqual([
      ['lint', 'passed'],
      ['build', 'passed'],
      ['test', 'passed'],
      ['security-scan', 'passed'],
      ['deploy', 'passed'],
      ['smoke', 'passed'],
      ['notify', 'passed'],
      ['record', 'passed'],
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('result: deployed, live colour: blue, revision 1');
    expect(run.stdout).toContain('"color": "#2EB67D"');
  }, 620_000);
});
