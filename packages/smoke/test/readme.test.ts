import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@pipeline-toolkit/testing';
import { suite } from './helpers.ts';

/** Every suite example in the action's README loads with the real loader: the documentation stays true. */
const README = readFileSync(path.join(repoRoot, 'actions', 'smoke-test', 'README.md'), 'utf8');
const examples = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1] as string)
  .filter((block) => !block.includes('uses: '))
  // A fragment (latency-budget alone) gets a check so that it is a whole suite.
  .map((block) => (/^checks:/m.test(block) ? block : `${block}checks:\n  - name: x\n    http: { path: / }\n`));

const ENV = {
  PRODUCTION_URL: 'https://shop.example',
  SMOKE_PASSWORD: 'p',
  APP_VERSION: '2.1.0',
  API_TOKEN: 't',
  DB_HOST: 'db',
  DB_PORT: '5432',
  DB_NAME: 'app',
};

describe('the suite examples of the smoke-test README', () => {
  it('has the examples this test reads', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });
  it.each(examples.map((block, i): [number, string] => [i, block]))('example %i loads', async (_i, block) => {
    await expect(suite(block, ENV)).resolves.toMatchObject({ checks: expect.any(Array) });
  });
});
