import { InputError } from '@pipeline-toolkit/core';

/**
 * `mention-on-failure` entries → Slack mention tokens. Only mentions are accepted (never free
 * text), so this input cannot smuggle markup into the message.
 */
const FORMS: [RegExp, (id: string) => string][] = [
  [/^[@!]?(here|channel)$/i, (id) => `<!${id.toLowerCase()}>`],
  [/^<!(here|channel)>$/i, (id) => `<!${id.toLowerCase()}>`],
  [/^<?@?([UW][A-Z0-9]{6,})>?$/, (id) => `<@${id}>`],
  [/^<?!?(?:subteam\^)?(S[A-Z0-9]{6,})>?$/, (id) => `<!subteam^${id}>`],
];

export function parseMentions(entries: readonly string[], label: string): string[] {
  return entries.map((entry) => {
    for (const [pattern, token] of FORMS) {
      const match = pattern.exec(entry);
      if (match?.[1]) return token(match[1]);
    }
    throw new InputError(
      'mention-on-failure',
      `${label} accepts here, channel, Slack user IDs (U…/W…, or <@U…>) and user-group IDs (S…, or <!subteam^S…>); got '${entry}'.`,
    );
  });
}
