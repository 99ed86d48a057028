import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '@pipeline-toolkit/core';
import { defaultSuite } from './defaults.ts';
import { suiteEnvironment } from './env-file.ts';
import type { Suite } from './model.ts';

export const DEFAULT_CONFIG = 'smoke.yml';

export interface LoadOptions {
  /** The suite file; when not given, `smoke.yml` if it exists, else the built-in default suite. */
  config?: string;
  /** The .env file; when not given, `.env` if it exists. */
  envFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

/** Loads a suite: the file (YAML, interpolated and validated) or the built-in default suite. */
export async function loadSuite(options: LoadOptions = {}): Promise<Suite> {
  const cwd = options.cwd ?? process.cwd();
  const env = await suiteEnvironment({ env: options.env ?? process.env, cwd, ...(options.envFile ? { envFile: options.envFile } : {}) });
  const file = options.config ?? (existsSync(path.resolve(cwd, DEFAULT_CONFIG)) ? DEFAULT_CONFIG : undefined);
  if (!file) return defaultSuite(env);
  if (!existsSync(path.resolve(cwd, file))) throw new InputError('config', `The smoke suite '${file}' does not exist (looked in ${cwd}).`);
  const { loadSuiteFile } = await import('./load.ts');
  return loadSuiteFile(file, { env, cwd });
}
