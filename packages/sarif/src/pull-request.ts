/** Whether the run is for a pull request (the events whose gate scope defaults to `new`). */
export function isPullRequestEvent(env: NodeJS.ProcessEnv): boolean {
  return env['GITHUB_EVENT_NAME'] === 'pull_request' || env['GITHUB_EVENT_NAME'] === 'pull_request_target';
}
