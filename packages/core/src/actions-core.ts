/**
 * The one place that loads @actions/exec, on first use only (it is not needed to read and
 * validate inputs, and loading it costs more than the rest of start-up).
 */
import type * as Exec from '@actions/exec';

type ActionsExec = typeof Exec;

let execPromise: Promise<ActionsExec> | undefined;

export function actionsExec(): Promise<ActionsExec> {
  execPromise ??= import('@actions/exec');
  return execPromise;
}
