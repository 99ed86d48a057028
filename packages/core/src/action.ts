import { errorMessage, InputError } from './errors.ts';
import { Inputs } from './inputs.ts';
import { ActionsLogger, type Logger } from './logger.ts';
import { ActionOutputs, ActionState, type OutputSink, type StateStore } from './outputs.ts';
import { ActionSummary, type SummarySink } from './summary.ts';

/** Everything an action's run() needs from the runner, injected so tests can pass their own. */
export interface ActionContext {
  inputs: Inputs;
  log: Logger;
  outputs: OutputSink;
  state: StateStore;
  summary: SummarySink;
  env: NodeJS.ProcessEnv;
}

export function actionContext(): ActionContext {
  const log = new ActionsLogger();
  return {
    inputs: new Inputs(),
    log,
    outputs: new ActionOutputs(log.redactor),
    state: new ActionState(),
    summary: new ActionSummary(log.redactor),
    env: process.env,
  };
}

/**
 * Runs an action body: one clear `::error::` line on failure (redacted) and the stack only in debug
 * mode (ACTIONS_STEP_DEBUG). Exit codes as in the CLI: 2 for bad input (an InputError: the input
 * is named, and the body stopped before any effect), 1 for any other failure. Returns the code it set.
 */
export async function runAction(body: (ctx: ActionContext) => Promise<void>, ctx: ActionContext = actionContext()): Promise<number> {
  try {
    await body(ctx);
    return 0;
  } catch (error) {
    ctx.log.error(errorMessage(error));
    if (error instanceof InputError) {
      process.exitCode = 2;
      return 2;
    }
    if (error instanceof Error && error.stack) ctx.log.debug(error.stack);
    process.exitCode = 1;
    return 1;
  }
}
