/**
 * Cancelling a run: the runner sends SIGINT (then SIGTERM) when a job is cancelled, and a terminal
 * sends SIGINT on Ctrl-C. The first signal aborts the run, so that waits end, requests are aborted,
 * checks not started are skipped and the reports are still written; a second one ends the process
 * as usual (the handlers are registered once).
 */
export function cancelOnSignals(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort(new Error('the run was cancelled'));
  for (const name of signals) process.once(name, abort);
  return { signal: controller.signal, dispose: () => signals.forEach((name) => process.removeListener(name, abort)) };
}
