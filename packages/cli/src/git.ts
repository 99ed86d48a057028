import { exec } from '@pipeline-toolkit/core';

/** owner/name of a GitHub remote URL (https, ssh or scp-like); undefined for other hosts. */
export function githubRepository(remote: string, serverUrl = 'https://github.com'): string | undefined {
  const host = new URL(serverUrl).hostname.replace(/[.]/g, '\\.');
  const match = new RegExp(`^(?:https://(?:[^@/]+@)?|ssh://git@|git@)${host}[:/]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\\.git)?/?$`).exec(
    remote.trim(),
  );
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/**
 * Outside a workflow run, what GitHub would put in GITHUB_REPOSITORY, GITHUB_REF_NAME and
 * GITHUB_SHA, read from the git checkout at `cwd` — so that a message sent from a laptop names
 * the repository, branch and commit too. Variables already set win; nothing is read inside
 * GitHub Actions or outside a git checkout.
 */
export async function gitRunEnv(env: NodeJS.ProcessEnv, cwd: string): Promise<NodeJS.ProcessEnv> {
  if (env['GITHUB_ACTIONS'] === 'true') return env;
  const git = async (...args: string[]) => {
    const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
    const options = { cwd, env: { ...defined, GIT_TERMINAL_PROMPT: '0' }, okExitCodes: [0, 1, 2, 128] };
    const result = await exec('git', args, options).catch(() => undefined);
    return result?.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
  };
  const [sha, branch, remote] = await Promise.all([
    env['GITHUB_SHA'] ? undefined : git('rev-parse', '--verify', '--quiet', 'HEAD'),
    env['GITHUB_REF_NAME'] || env['GITHUB_HEAD_REF'] ? undefined : git('symbolic-ref', '--quiet', '--short', 'HEAD'),
    env['GITHUB_REPOSITORY'] ? undefined : git('remote', 'get-url', 'origin'),
  ]);
  const repository = remote ? githubRepository(remote, env['GITHUB_SERVER_URL'] || undefined) : undefined;
  return {
    ...env,
    ...(sha && /^[0-9a-f]{40,64}$/.test(sha) ? { GITHUB_SHA: sha } : {}),
    ...(branch ? { GITHUB_REF_NAME: branch } : {}),
    ...(repository ? { GITHUB_REPOSITORY: repository } : {}),
  };
}
