import type { Inputs } from '@pipeline-toolkit/core';

/** The inputs shared by the smoke-test action and `pipeline-toolkit smoke` (flags have the same names). */
export interface SmokeInputs {
  config?: string;
  target: string;
  /** How errors name the target input: `Input 'target'` in the action, `--target` in the CLI. */
  targetLabel: string;
  tags: string[];
  envFile?: string;
  waitUntilHealthyMs: number;
  failOnFlaky: boolean;
  failFast: boolean;
  allowMutating: boolean;
  junitFile?: string;
  jsonFile?: string;
}

/** Reads and validates every input before anything runs; errors name the input. */
export function readSmokeInputs(inputs: Inputs, defaults: { junitFile?: string; jsonFile?: string } = {}): SmokeInputs {
  const config = inputs.string('config');
  const envFile = inputs.string('env-file');
  const junitFile = inputs.string('junit-file') ?? defaults.junitFile;
  const jsonFile = inputs.string('json-file') ?? defaults.jsonFile;
  return {
    ...(config ? { config } : {}),
    target: inputs.string('target', { default: 'local' }),
    targetLabel: inputs.label('target'),
    tags: inputs.list('tags'),
    ...(envFile ? { envFile } : {}),
    waitUntilHealthyMs: inputs.duration('wait-until-healthy', { default: '0', max: '1h' }) ?? 0,
    failOnFlaky: inputs.boolean('fail-on-flaky', false),
    failFast: inputs.boolean('fail-fast', false),
    allowMutating: inputs.boolean('allow-mutating', false),
    ...(junitFile ? { junitFile } : {}),
    ...(jsonFile ? { jsonFile } : {}),
  };
}
