import type { ActionContext } from '@pipeline-toolkit/core';
import { GitHubDeployments, type DeployOptions } from '@pipeline-toolkit/k8s';

/** Aborted when the runner cancels the job: SIGINT, then SIGTERM 7.5 s later. */
export function cancellation(): AbortSignal {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  return controller.signal;
}

/** After a cancel, work still in flight (a smoke request) must not keep the step alive until the runner kills it. */
export const exitSoon = () => setImmediate(() => process.exit());

/** A GitHub Deployment record when github-token and environment are given (not for mode deploy, which changes no traffic). */
export function githubDeployment(ctx: ActionContext, options: DeployOptions, fetchImpl: typeof fetch): GitHubDeployments | undefined {
  const { GITHUB_REPOSITORY: repository, GITHUB_SHA: ref, GITHUB_API_URL: apiUrl = 'https://api.github.com' } = ctx.env;
  if (!options.githubToken || !options.environment || !repository || !ref || options.mode === 'deploy') return undefined;
  const target = {
    token: options.githubToken,
    apiUrl,
    repository,
    ref,
    environment: options.environment,
    ...(options.spec.runUrl ? { logUrl: options.spec.runUrl } : {}),
  };
  return new GitHubDeployments(target, ctx.log, fetchImpl);
}
