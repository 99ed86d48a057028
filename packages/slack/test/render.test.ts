import { describe, expect, it } from '@jest/globals';
import { Redactor } from '@pipeline-toolkit/core';
import { COLORS, LIMITS, renderMessage, runContext, type Block, type Message } from '@pipeline-toolkit/slack';

const run = runContext({
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_REF_NAME: 'main',
  GITHUB_SHA: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'CI',
});

const message = (extra: Partial<Message> = {}): Message => ({
  status: 'success',
  language: 'en',
  run,
  failedJobs: [],
  mentions: [],
  ...extra,
});
const texts = (blocks: Block[]): string[] =>
  blocks.flatMap((b) =>
    'elements' in b
      ? b.elements.map((e) => e.text)
      : [...(b.text ? [b.text.text] : []), ...('fields' in b && b.fields ? b.fields.map((f) => f.text) : [])],
  );
const all = (m: Message, redact?: (t: string) => string) => {
  const payload = renderMessage(m, redact);
  return { payload, blocks: payload.attachments[0].blocks, joined: [payload.text, ...texts(payload.attachments[0].blocks)].join('\n') };
};

describe('renderMessage', () => {
  it('renders a green success message with the run linked and a plain-text fallback', () => {
    const { payload, blocks } = all(message());
    expect(payload.attachments[0].color).toBe(COLORS.success);
    expect(payload.text).toBe('CI/CD pipeline succeeded — acme/shop · main #42');
    expect(payload.attachments[0].fallback).toBe(payload.text);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'CI/CD pipeline succeeded' } });
    expect(blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Repository*\n<https://github.com/acme/shop|acme/shop>' },
        { type: 'mrkdwn', text: '*Branch*\n<https://github.com/acme/shop/tree/main|main>' },
        { type: 'mrkdwn', text: '*Commit*\n<https://github.com/acme/shop/commit/4b825dc642cb6eb9a060e54bf8d69288fbee4904|4b825dc>' },
        { type: 'mrkdwn', text: '*Run*\n<https://github.com/acme/shop/actions/runs/9876543210|#42>' },
      ],
    });
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Workflow: CI' }] });
  });

  it('uses the original design wording in pt-BR', () => {
    const { joined } = all(message({ language: 'pt-BR', failedJobs: [{ name: 'build', conclusion: 'failure', step: 'Compilar' }] }));
    for (const word of [
      'Pipeline CI/CD concluído com sucesso',
      '*Repositório*',
      '*Branch*',
      '*Commit*',
      '*Execução*',
      '*Jobs com falha*',
      'falhou no passo *Compilar*',
    ]) {
      expect(joined).toContain(word);
    }
  });

  it('puts a custom title in the header and keeps the status headline below it', () => {
    const { blocks } = all(message({ status: 'failure', title: 'Release 2.4 to production' }));
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Release 2.4 to production' } });
    expect(blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*CI/CD pipeline failed*' } });
  });

  it('colours failures red and cancellations grey, and links the attempt of a re-run', () => {
    expect(renderMessage(message({ status: 'failure' })).attachments[0].color).toBe('#E01E5A');
    expect(renderMessage(message({ status: 'cancelled' })).attachments[0].color).toBe('#9E9E9E');
    const { joined } = all(message({ run: { ...run, runAttempt: '3' } }));
    expect(joined).toContain('<https://github.com/acme/shop/actions/runs/9876543210/attempts/3|#42 (attempt 3)>');
  });

  it('names failed jobs with their first failed step and link, and mentions only on failure', () => {
    const failedJobs = [
      {
        name: 'test (ubuntu-latest, 24)',
        conclusion: 'failure',
        step: 'Run tests',
        url: 'https://github.com/acme/shop/actions/runs/1/job/3',
      },
      { name: 'deploy', conclusion: 'cancelled' },
    ];
    const { payload, joined } = all(message({ status: 'failure', failedJobs, mentions: ['<!here>', '<@U0123ABCD>'] }));
    expect(joined).toContain(
      '*Failed jobs*\n• <https://github.com/acme/shop/actions/runs/1/job/3|test (ubuntu-latest, 24)> — failed at step *Run tests*\n• deploy — cancelled',
    );
    expect(payload.text).toBe('<!here> <@U0123ABCD> CI/CD pipeline failed — acme/shop · main #42: test (ubuntu-latest, 24), deploy');
    expect(renderMessage(message({ status: 'success', mentions: ['<!here>'] })).text).not.toContain('<!here>');
  });

  it('escapes outside text and neutralises mentions in it', () => {
    const { joined } = all(
      message({
        title: 'Release <!channel> & <@U999> @here',
        run: { ...run, branch: 'feat/<script>&x' },
        failedJobs: [{ name: 'build <!here>', conclusion: 'failure', step: 'a|b > c' }],
      }),
    );
    expect(joined).not.toMatch(/<!channel>|<!here>|<@U999>|<script>/);
    expect(joined).toContain('Release &lt;!\u200Bchannel&gt; &amp; &lt;@U999&gt; @\u200Bhere');
    expect(joined).toContain('|feat/&lt;script&gt;&amp;x>');
    expect(joined).toContain('build &lt;!\u200Bhere&gt; — failed at step *a|b &gt; c*');
  });

  it('renders a branch name with a lone surrogate instead of throwing, linking it as U+FFFD', () => {
    const { joined } = all(message({ run: { ...run, branch: 'feat/emoji-\uD83D' } }));
    expect(joined).toContain('/tree/feat/emoji-%EF%BF%BD|');
    expect(joined.isWellFormed()).toBe(true);
  });

  it('scrubs secret-like strings and registered secrets from every field', () => {
    const redactor = new Redactor();
    redactor.add('registered-secret-value');
    const { joined } = all(
      message({
        title: 'leak https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX',
        environmentUrl: 'https://shop.example.com/?token=abc123',
        run: { ...run, branch: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
        smoke: { passed: 0, failed: 1, flaky: 0, skipped: 0, failedCritical: ['login with xoxb-1234567890-abcdefghij'] },
        failedJobs: [{ name: 'job registered-secret-value', conclusion: 'failure' }],
      }),
      (t) => redactor.redact(t),
    );
    expect(joined).not.toMatch(/hooks\.slack\.com|ghp_|abc123|registered-secret-value|xoxb-/);
    expect(joined).toContain('*Branch*\n<https://github.com/acme/shop/tree/***|***>');
    expect(joined).toContain('*Environment*\n<https://shop.example.com/?token=***|https://shop.example.com/>');
  });

  it('shows smoke-test counts and failed critical checks', () => {
    const { joined } = all(
      message({
        status: 'failure',
        smoke: { passed: 12, failed: 2, flaky: 1, skipped: 0, failedCritical: ['checkout responds', 'db reachable'] },
      }),
    );
    expect(joined).toContain(
      '*Smoke tests*: 12 passed · 2 failed · 1 flaky · 0 skipped\n*Failed critical checks*\n• checkout responds\n• db reachable',
    );
  });

  it("shows the security scan's new, fixed and unchanged counts, and says when there was no baseline instead of 0 fixed", () => {
    const security = { new: 2, fixed: 1, unchanged: 5, baseline: true };
    const { blocks } = all(message({ security }));
    expect(blocks.at(-2)).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Security scan*: 2 new · 1 fixed · 5 unchanged' } });
    expect(texts(all(message({ security: { new: 3, fixed: 0, unchanged: 0, baseline: false } })).blocks)).toContain(
      '*Security scan*: 3 findings, no baseline to compare with (new, fixed and unchanged unknown)',
    );
    expect(texts(all(message({ security: { new: 1, fixed: 0, unchanged: 0, baseline: false } })).blocks)).toContain(
      '*Security scan*: 1 finding, no baseline to compare with (new, fixed and unchanged unknown)',
    );
    expect(texts(all(message({ language: 'pt-BR', security })).blocks)).toContain(
      '*Varredura de segurança*: novos: 2 · corrigidos: 1 · inalterados: 5',
    );
    // no scan, no line
    expect(all(message()).joined).not.toContain('Security scan');
  });

  it('keeps every text within Block Kit limits, with a visible marker where it cut', () => {
    const failedJobs = Array.from({ length: 400 }, (_, i) => ({
      name: `job-${i} ${'x'.repeat(20)}`,
      conclusion: 'failure',
      url: `https://github.com/acme/shop/actions/runs/1/job/${i}`,
    }));
    const m = message({
      status: 'failure',
      title: 'T'.repeat(500),
      run: { ...run, branch: 'b'.repeat(3000) },
      failedJobs,
      smoke: { passed: 1, failed: 300, flaky: 0, skipped: 0, failedCritical: Array.from({ length: 300 }, (_, i) => `critical check ${i}`) },
    });
    const { payload, blocks } = all(m);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(LIMITS.header);
    expect(header.text.text.endsWith('…')).toBe(true);
    for (const block of blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'section' && block.fields) {
        expect(block.fields.length).toBeLessThanOrEqual(10);
        for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
    const jobs = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Failed jobs*')) as { text: { text: string } };
    expect(jobs.text.text).toMatch(/\n… and \d+ more$/);
    const shown = (jobs.text.text.match(/^• /gm) ?? []).length;
    expect(jobs.text.text).toContain(`… and ${400 - shown} more`);
    const fields = blocks.find((b) => b.type === 'section' && b.fields) as { fields: { text: string }[] };
    const branch = fields.fields[1]?.text ?? '';
    expect(branch.endsWith('… (truncated)')).toBe(true);
    expect(payload.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    const smoke = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Smoke tests*')) as { text: { text: string } };
    expect(smoke.text.text).toMatch(/… and \d+ more$/);
  });

  it('sends no email address or raw context: only the fields it renders', () => {
    const { payload } = all(message({ status: 'failure' }));
    expect(JSON.stringify(payload)).not.toMatch(/@[a-z0-9.-]+\.[a-z]{2,}|octocat|event/i);
  });
});
