import { redactPatterns } from '@pipeline-toolkit/core';
import { wording } from './i18n.ts';
import type { Language, Message } from './model.ts';
import { LIMITS, jobLine, runFields, securitySection, smokeSection, type Block, type SlackPayload } from './render.ts';
import { fitLines, safeText, slackLink, truncate } from './text.ts';

/**
 * The deploy's lifecycle message (bot-token mode): one message per run, posted when the run
 * starts and updated in place as it moves on; each update renders the whole message again from
 * the stage it has reached, so no step needs to know what an earlier one posted.
 *
 *   started → awaiting-approval → deploying → live
 *                    └→ rejected      └→ deploy-failed / rolled-back / rollback-failed
 *   checks-failed and cancelled can end it at any point.
 */
export const STAGES = [
  'started',
  'awaiting-approval',
  'deploying',
  'live',
  'rolled-back',
  'rejected',
  'checks-failed',
  'deploy-failed',
  'rollback-failed',
  'cancelled',
] as const;
export type Stage = (typeof STAGES)[number];

/** Stages after which the run does nothing more: the message is final and details go to its thread. */
export const FINAL_STAGES: readonly Stage[] = [
  'live',
  'rolled-back',
  'rejected',
  'checks-failed',
  'deploy-failed',
  'rollback-failed',
  'cancelled',
];

/** The lines of the checklist, in the order a run goes through them. */
const STEPS = ['checks', 'approval', 'deploy', 'smoke', 'outcome'] as const;
type Step = (typeof STEPS)[number];
export type StepState = 'done' | 'running' | 'waiting' | 'failed' | 'pending' | 'skipped';

const d = 'done',
  r = 'running',
  w = 'waiting',
  f = 'failed',
  p = 'pending',
  s = 'skipped';
/** The state of each checklist line at each stage. */
const BOARD: Record<Stage, Record<Step, StepState>> = {
  started: { checks: r, approval: p, deploy: p, smoke: p, outcome: p },
  'awaiting-approval': { checks: d, approval: w, deploy: p, smoke: p, outcome: p },
  deploying: { checks: d, approval: d, deploy: r, smoke: p, outcome: p },
  live: { checks: d, approval: d, deploy: d, smoke: d, outcome: d },
  'rolled-back': { checks: d, approval: d, deploy: d, smoke: f, outcome: f },
  rejected: { checks: d, approval: f, deploy: s, smoke: s, outcome: s },
  'checks-failed': { checks: f, approval: s, deploy: s, smoke: s, outcome: s },
  'deploy-failed': { checks: d, approval: d, deploy: f, smoke: s, outcome: s },
  'rollback-failed': { checks: d, approval: d, deploy: d, smoke: f, outcome: f },
  cancelled: { checks: s, approval: s, deploy: s, smoke: s, outcome: f },
};

export function stepStates(stage: Stage): Record<Step, StepState> {
  return BOARD[stage];
}

export const ICONS: Record<StepState, string> = { done: '✓', running: '⏳', waiting: '⏸', failed: '✗', pending: '○', skipped: '–' };

/** Colour of the bar: blue while running, amber while someone must act, then green, red or grey. */
export const STAGE_COLORS: Record<Stage, string> = {
  started: '#1D9BD1',
  'awaiting-approval': '#ECB22E',
  deploying: '#1D9BD1',
  live: '#2EB67D',
  'rolled-back': '#E01E5A',
  rejected: '#E01E5A',
  'checks-failed': '#E01E5A',
  'deploy-failed': '#E01E5A',
  'rollback-failed': '#E01E5A',
  cancelled: '#9E9E9E',
};

/** Who approves: reviewers read from the environment's protection rules, or unknown. */
export interface Approval {
  environment?: string;
  /** GitHub logins (`octocat`) and teams (`org/team`); empty or absent: not known. */
  reviewers?: string[];
}

export interface LifecycleMessage extends Message {
  stage: Stage;
  approval: Approval;
  /** Why the run ended as it did (rollback reason …), for the thread reply. */
  reason?: string;
}

interface LifecycleWording {
  headline: Record<Stage, string>;
  steps: Record<Step, string>;
  approvalIn: (environment: string) => string;
  waiting: (environment: string, reviewers: string) => string;
  theReviewers: string;
  review: string;
  approved: (environment: string) => string;
  rejected: (environment: string) => string;
  outcome: Record<'live' | 'rolledBack' | 'rollbackFailed' | 'notDeployed' | 'cancelled', string>;
  details: string;
  reason: string;
  defaultReason: Partial<Record<Stage, string>>;
  updateNotPossible: string;
}

const en: LifecycleWording = {
  headline: {
    started: 'Pipeline started',
    'awaiting-approval': 'Waiting for approval',
    deploying: 'Deploying',
    live: 'Deployed: live',
    'rolled-back': 'Rolled back',
    rejected: 'Not deployed: approval rejected or timed out',
    'checks-failed': 'Not deployed: checks failed',
    'deploy-failed': 'Deploy failed',
    'rollback-failed': 'Rollback failed',
    cancelled: 'Pipeline cancelled',
  },
  steps: { checks: 'Lint, build, test, security scan', approval: 'Approval', deploy: 'Deploy', smoke: 'Smoke tests', outcome: 'Live' },
  approvalIn: (env) => `Approval in ${env}`,
  waiting: (env, who) => `Waiting for approval in ${env} by ${who}`,
  theReviewers: "the environment's reviewers",
  review: 'Review the deployment',
  approved: (env) => `Approved in ${env}`,
  rejected: (env) => `Rejected or timed out in ${env}`,
  outcome: {
    live: 'Live',
    rolledBack: 'Rolled back: the previous colour serves traffic',
    rollbackFailed: 'Rollback failed: check the cluster',
    notDeployed: 'Not deployed',
    cancelled: 'Cancelled',
  },
  details: 'Details',
  reason: 'Reason',
  defaultReason: {
    'rolled-back': 'The smoke tests failed after the switch, so traffic went back to the previous colour.',
    'rollback-failed': 'The smoke tests failed after the switch and the rollback failed too: traffic may still reach the new colour.',
    rejected: 'The deployment was rejected, or nobody approved it before the environment’s timeout; nothing was switched.',
    'deploy-failed': 'The deploy failed before traffic was switched for good; the deploy job’s log says where.',
    'checks-failed': 'A job before the deploy failed; nothing was deployed.',
  },
  updateNotPossible: 'A webhook cannot update this message; the outcome comes as a new message.',
};

const ptBR: LifecycleWording = {
  headline: {
    started: 'Pipeline iniciado',
    'awaiting-approval': 'Aguardando aprovação',
    deploying: 'Implantando',
    live: 'Implantado: no ar',
    'rolled-back': 'Revertido',
    rejected: 'Não implantado: aprovação rejeitada ou expirada',
    'checks-failed': 'Não implantado: verificações falharam',
    'deploy-failed': 'Implantação falhou',
    'rollback-failed': 'Reversão falhou',
    cancelled: 'Pipeline cancelado',
  },
  steps: {
    checks: 'Lint, build, testes, varredura de segurança',
    approval: 'Aprovação',
    deploy: 'Implantação',
    smoke: 'Smoke tests',
    outcome: 'No ar',
  },
  approvalIn: (env) => `Aprovação em ${env}`,
  waiting: (env, who) => `Aguardando aprovação em ${env} por ${who}`,
  theReviewers: 'os revisores do ambiente',
  review: 'Revisar a implantação',
  approved: (env) => `Aprovado em ${env}`,
  rejected: (env) => `Rejeitado ou expirado em ${env}`,
  outcome: {
    live: 'No ar',
    rolledBack: 'Revertido: a cor anterior atende o tráfego',
    rollbackFailed: 'Reversão falhou: verifique o cluster',
    notDeployed: 'Não implantado',
    cancelled: 'Cancelado',
  },
  details: 'Detalhes',
  reason: 'Motivo',
  defaultReason: {
    'rolled-back': 'Os smoke tests falharam após a troca, então o tráfego voltou para a cor anterior.',
    'rollback-failed': 'Os smoke tests falharam após a troca e a reversão também falhou: o tráfego pode ainda chegar à nova cor.',
    rejected: 'A implantação foi rejeitada, ou ninguém a aprovou antes do prazo do ambiente; nada foi trocado.',
    'deploy-failed': 'A implantação falhou antes da troca definitiva do tráfego; o log do job de deploy diz onde.',
    'checks-failed': 'Um job anterior à implantação falhou; nada foi implantado.',
  },
  updateNotPossible: 'Um webhook não pode atualizar esta mensagem; o resultado virá numa nova mensagem.',
};

export function lifecycleWording(language: Language): LifecycleWording {
  return language === 'pt-BR' ? ptBR : en;
}

/** The run's page: where GitHub shows "Review deployments" to the environment's reviewers. */
export function runUrl(message: Message): string | undefined {
  const { run } = message;
  return run.repository && run.runId ? `${run.serverUrl}/${run.repository}/actions/runs/${encodeURIComponent(run.runId)}` : undefined;
}

/** One checklist line's text, with the approval line naming the environment, reviewers and review link. */
function stepText(step: Step, state: StepState, message: LifecycleMessage, redact: (text: string) => string, plain = false): string {
  const link = (url: string, label: string) => (plain ? safeText(label, redact) : slackLink(url, label, redact));
  const t = lifecycleWording(message.language);
  const env = message.approval.environment ? `*${safeText(message.approval.environment, redact)}*` : undefined;
  if (step === 'approval' && env) {
    if (state === 'waiting') {
      const reviewers = message.approval.reviewers?.length
        ? message.approval.reviewers.map((name) => safeText(`@${name}`, redact)).join(', ')
        : t.theReviewers;
      const url = runUrl(message);
      return `${t.waiting(env, reviewers)}${url ? ` — ${link(url, t.review)}` : ''}`;
    }
    if (state === 'done') return t.approved(env);
    if (state === 'failed') return t.rejected(env);
    return t.approvalIn(env);
  }
  if (step === 'outcome') {
    if (message.stage === 'live') {
      const url = message.environmentUrl;
      return url ? `${t.outcome.live}: ${link(url, url.split(/[?#]/)[0] ?? url)}` : t.outcome.live;
    }
    if (message.stage === 'rolled-back') return t.outcome.rolledBack;
    if (message.stage === 'rollback-failed') return t.outcome.rollbackFailed;
    if (message.stage === 'cancelled') return t.outcome.cancelled;
    if (state === 'skipped') return t.outcome.notDeployed;
  }
  return t.steps[step];
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

/**
 * Renders the lifecycle message: a header naming the stage, the run's fields (repository, branch,
 * commit, run, environment link), the checklist and the workflow name. The same rules as the
 * final message apply: every outside text redacted, escaped and neutralised, Slack's limits kept.
 */
export function renderLifecycle(
  message: LifecycleMessage,
  redact: (text: string) => string = redactPatterns,
  options: { viaWebhook?: boolean } = {},
): SlackPayload {
  const t = lifecycleWording(message.language);
  const w = wording(message.language);
  const states = stepStates(message.stage);
  const headline = t.headline[message.stage];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(safeText(message.title ?? headline, redact), LIMITS.header, '…') } },
  ];
  if (message.title) blocks.push({ type: 'section', text: mrkdwn(`*${headline}*`) });
  const fields = runFields(message, w, redact);
  if (fields.length)
    blocks.push({ type: 'section', fields: fields.map((field) => mrkdwn(truncate(field, LIMITS.fieldText, w.truncated))) });
  const lines = STEPS.map((step) => `${ICONS[states[step]]}  ${stepText(step, states[step], message, redact)}`);
  blocks.push({ type: 'section', text: mrkdwn(truncate(lines.join('\n'), LIMITS.sectionText, w.truncated)) });
  const context = [
    ...(message.run.workflow ? [`${w.workflow}: ${safeText(message.run.workflow, redact)}`] : []),
    ...(options.viaWebhook && !FINAL_STAGES.includes(message.stage) ? [t.updateNotPossible] : []),
  ];
  if (context.length) blocks.push({ type: 'context', elements: context.map((c) => mrkdwn(truncate(c, LIMITS.contextText, w.truncated))) });
  const current = STEPS.find((step) => ['running', 'waiting', 'failed'].includes(states[step]));
  const where = [message.run.repository, message.run.branch].filter(Boolean).map((part) => safeText(part as string, redact));
  const runLabel = message.run.runNumber ? ` #${safeText(message.run.runNumber, redact)}` : '';
  const now = current ? `: ${stepText(current, states[current], message, redact, true)}` : '';
  const text = truncate(`${headline}${where.length ? ` — ${where.join(' · ')}` : ''}${runLabel}${now}`, LIMITS.fallbackText, '…');
  return { text, attachments: [{ color: STAGE_COLORS[message.stage], fallback: text, blocks }] };
}

/** A thread reply: plain blocks, no attachment (a reply needs no colour bar). */
export interface ThreadReply {
  text: string;
  blocks: Block[];
}

/**
 * The thread reply of a final stage: why it ended so (the reason given, else the stage's default
 * one), the failed jobs with their failed steps and links, the smoke results. Undefined when
 * there is nothing to add (a live deploy without a smoke report).
 */
export function renderDetails(message: LifecycleMessage, redact: (text: string) => string = redactPatterns): ThreadReply | undefined {
  if (!FINAL_STAGES.includes(message.stage)) return undefined;
  const t = lifecycleWording(message.language);
  const w = wording(message.language);
  const blocks: Block[] = [];
  const reason = message.reason ?? t.defaultReason[message.stage];
  if (reason)
    blocks.push({ type: 'section', text: mrkdwn(truncate(`*${t.reason}*: ${safeText(reason, redact)}`, LIMITS.sectionText, w.truncated)) });
  if (message.failedJobs.length) {
    const heading = `*${w.failedJobs}*`;
    const lines = message.failedJobs.map((job) => jobLine(job, w, redact));
    blocks.push({ type: 'section', text: mrkdwn(`${heading}\n${fitLines(lines, LIMITS.sectionText - heading.length - 1, w.more)}`) });
  }
  if (message.smoke) blocks.push(smokeSection(message.smoke, w, redact));
  if (message.security) blocks.push(securitySection(message.security, w));
  if (!blocks.length) return undefined;
  const text = truncate(
    `${t.details}: ${t.headline[message.stage]}${reason ? ` — ${safeText(reason, redact)}` : ''}`,
    LIMITS.fallbackText,
    '…',
  );
  return { text, blocks };
}
