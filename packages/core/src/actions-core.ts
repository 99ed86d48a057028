/**
 * The one place that loads @actions/core and @actions/exec, on first use only (they are not needed
 * to read and validate inputs, and loading them costs more than the rest of start-up).
 */
import type * as Core from '@actions/core';
import type * as Exec from '@actions/exec';

type ActionsCore = typeof Core;
type ActionsExec = typeof Exec;

let corePromise: Promise<ActionsCore> | undefined;
let execPromise: Promise<ActionsExec> | undefined;

export function actionsCore(): Promise<ActionsCore> {
  corePromise ??= import('@actions/core');
  return corePromise;
}

export function actionsExec(): Promise<ActionsExec> {
  execPromise ??= import('@actions/exec');
  return execPromise;
}
