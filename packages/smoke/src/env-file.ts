import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { InputError, readTextFile, refusalText } from '@pipeline-toolkit/core';

/** The largest env file read: a list of variables, far below it. */
const MAX_ENV_FILE_BYTES = 1024 * 1024;

/**
 * The environment a suite is interpolated from and checked against: the process environment over
 * a `.env` file (the original design copies `.env.example` to `.env`). Variables already set win,
 * as with dotenv and Docker Compose. The default `.env` may be absent; a file named explicitly must exist.
 */
export async function suiteEnvironment(options: {
  env: Readonly<Record<string, string | undefined>>;
  envFile?: string;
  cwd: string;
  input?: string;
}): Promise<Record<string, string>> {
  const explicit = options.envFile !== undefined;
  const file = path.resolve(options.cwd, options.envFile ?? '.env');
  let fromFile: Record<string, string> = {};
  if (existsSync(file)) {
    const text = await readTextFile(file, MAX_ENV_FILE_BYTES, (refusal) => {
      throw new InputError(
        options.input ?? 'env-file',
        `The env file '${options.envFile ?? '.env'}' ${refusalText(refusal, 'an env file')}.`,
      );
    });
    fromFile = parseEnv(text) as Record<string, string>;
  } else if (explicit) {
    throw new InputError(options.input ?? 'env-file', `The env file '${options.envFile}' does not exist (looked at ${file}).`);
  }
  const merged: Record<string, string> = { ...fromFile };
  for (const [name, value] of Object.entries(options.env)) if (value !== undefined) merged[name] = value;
  return merged;
}
