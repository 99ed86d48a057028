import { randomUUID } from 'node:crypto';
import { accessSync, appendFileSync, constants, existsSync, statSync } from 'node:fs';
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

/**
 * What GitHub keeps of a step's summary: above 1 MiB it keeps nothing ("$GITHUB_STEP_SUMMARY
 * upload aborted, supports content up to a size of 1024k") and the whole summary is lost.
 */
const SUMMARY_LIMIT = 1024 * 1024;

/** The summary file this step cut (appendSummary). */
let summaryCut: string | undefined;

/**
 * Appends markdown and a line break to the job summary (GITHUB_STEP_SUMMARY), when the runner
 * gives one. What would take the step's summary past SUMMARY_LIMIT is cut at the last line that
 * fits, and a note says it was cut: the summary before it is kept.
 */
export function appendSummary(markdown: string): void {
  const file = process.env['GITHUB_STEP_SUMMARY'];
  if (!file) return;
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
  }
  if (file === summaryCut) return;
  const text = `${markdown}${EOL}`;
  const fitted = fitSummary(text, statSync(file).size);
  // once cut, the summary ends with the note: what comes later is left out too
  if (fitted !== text) summaryCut = file;
  appendFileSync(file, fitted, { encoding: 'utf8' });
}

/** `text`, or as many of its whole lines as fit after `used` bytes and a note that it was cut. */
function fitSummary(text: string, used: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (used + bytes.length <= SUMMARY_LIMIT) return text;
  const note = `${EOL}> This summary was cut here: GitHub keeps at most 1 MiB of a step's summary.${EOL}`;
  const room = SUMMARY_LIMIT - used - Buffer.byteLength(note);
  if (room <= 0) return '';
  // the last line break within the room: never a cut table row, never a cut character
  const end = bytes.lastIndexOf(0x0a, room - 1) + 1;
  return `${bytes.toString('utf8', 0, end)}${note}`;
}
