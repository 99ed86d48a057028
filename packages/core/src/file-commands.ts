import { randomUUID } from 'node:crypto';
import { accessSync, appendFileSync, constants, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { formatCommand } from './commands.ts';

/**
 * The runner's file commands, written here as @actions/core writes them (see memory-bank
 * ADR-011): loading @actions/core for them cost about 55 ms at the end of every step.
 */

/**
 * Appends `key<<delimiter`, the value and the delimiter to the file the runner names in
 * GITHUB_OUTPUT or GITHUB_STATE. The delimiter is random and must occur in neither the key nor
 * the value. Without the file (runners older than 2.297), the stdout command they read instead.
 */
export function appendKeyValue(command: 'OUTPUT' | 'STATE', key: string, value: string): void {
  const file = process.env[`GITHUB_${command}`];
  if (!file) {
    const name = command === 'OUTPUT' ? 'set-output' : 'save-state';
    process.stdout.write(`${EOL}${formatCommand(name, value, { name: key })}${EOL}`);
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (key.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  appendFileSync(file, `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

/** Appends markdown and a line break to the job summary (GITHUB_STEP_SUMMARY), when the runner gives one. */
export function appendSummary(markdown: string): void {
  const file = process.env['GITHUB_STEP_SUMMARY'];
  if (!file) return;
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
  }
  appendFileSync(file, `${markdown}${EOL}`, { encoding: 'utf8' });
}
