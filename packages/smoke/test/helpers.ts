import { MemoryLogger } from '@pipeline-toolkit/core';
import { parseSuite } from '../src/load.ts';
import { runSuite, type RunOptions } from '../src/runner.ts';
import type { Suite } from '../src/model.ts';

/** A suite from YAML text, through the real loader. */
export function suite(yaml: string, env: Record<string, string> = {}): Promise<Suite> {
  return parseSuite(yaml, { file: 'smoke.yml', env });
}

/** Runs a suite with a memory logger; sleeps are recorded and shortened so retries stay fast. */
export async function run(s: Suite, options: Partial<RunOptions> & { target: string }) {
  const log = new MemoryLogger();
  const sleeps: number[] = [];
  const result = await runSuite(s, {
    log,
    deps: {
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
      random: () => 0.5,
    },
    ...options,
  });
  return { result, log, sleeps, check: (name: string) => result.checks.find((c) => c.name === name) };
}
