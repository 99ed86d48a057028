import { InputError, Inputs, type ActionContext } from '@pipeline-toolkit/core';
import { readDeployInputs, type DeployOptions } from '@pipeline-toolkit/k8s';
import { MODES, readCiInputs, type CiRequest } from '@pipeline-toolkit/memory-bank';
import { LOOPBACK_SEAM, readNotifyInputs, type NotifyRequest } from '@pipeline-toolkit/slack';

export const RECORD = ['none', ...MODES] as const;

/** Everything the release was asked to do, validated before anything is contacted. */
export interface ReleaseRequest {
  deploy: DeployOptions;
  /** Undefined without slack-webhook-url. */
  notify?: NotifyRequest;
  /** Undefined with record: none. */
  record?: CiRequest;
}

/**
 * The release's inputs seen under the names another package's reader expects: `from` maps the
 * package's name to the release input it reads, `fixed` gives values this action decides; any other
 * name reads as not given. Messages name the release's own input.
 */
export function inputsAs(inputs: Inputs, from: Record<string, string>, fixed: Record<string, string> = {}): Inputs {
  return new Inputs(
    (name) => fixed[name] ?? (from[name] ? inputs.raw(from[name]) : undefined),
    (name) => inputs.label(from[name] ?? name),
  );
}

export function readReleaseInputs(ctx: ActionContext): ReleaseRequest {
  const { inputs, log, env } = ctx;
  const record = inputs.enum('record', RECORD, { default: 'none' });
  const deploy = readDeployInputs(inputs, env, env['GITHUB_WORKSPACE'] ?? process.cwd(), log);
  const webhook = inputs.raw('slack-webhook-url') !== undefined;
  // The status is only known after the deploy; 'success' stands in so the rest is checked now.
  const notify = readNotifyInputs(
    inputsAs(
      inputs,
      { 'webhook-url': 'slack-webhook-url', language: 'language', 'mention-on-failure': 'mention-on-failure' },
      {
        status: 'success',
        'dry-run': String(!webhook),
      },
    ),
    log,
    { allowLoopback: env[LOOPBACK_SEAM] === 'true' },
  );
  if (record !== 'none' && record !== 'files' && !deploy.githubToken)
    throw new InputError('github-token', `${inputs.label('github-token')} is required with record: ${record}.`);
  const recordRequest =
    record === 'none'
      ? undefined
      : readCiInputs(
          inputsAs(
            inputs,
            { dir: 'memory-bank-dir', environment: 'environment', 'github-token': 'github-token', version: 'tag' },
            {
              command: 'record-deploy',
              mode: record,
            },
          ),
          log,
        );
  return { deploy, ...(webhook ? { notify } : {}), ...(recordRequest ? { record: recordRequest } : {}) };
}
