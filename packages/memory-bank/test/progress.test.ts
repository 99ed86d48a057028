import { describe, expect, it } from '@jest/globals';
import {
  bankTemplates,
  deployChange,
  deployEntry,
  mergedPullRequestChange,
  updateCurrentState,
  upsertEntry,
  type DeployRecord,
} from '@pipeline-toolkit/memory-bank';

const deploy = (over: Partial<DeployRecord> = {}): DeployRecord => ({
  environment: 'production',
  runId: '111',
  version: 'v1.4.0',
  result: 'success',
  date: '2026-11-29',
  commit: { text: 'abc1234', url: 'https://github.com/acme/shop/commit/abc1234def' },
  pullRequest: { text: '#42', url: 'https://github.com/acme/shop/pull/42' },
  deployUrl: 'https://shop.example.com',
  runUrl: 'https://github.com/acme/shop/actions/runs/111',
  ...over,
});

/** Applies a change's edits to in-memory files, as a store does. */
function apply(files: Record<string, string | undefined>, change: ReturnType<typeof deployChange>) {
  const next = { ...files };
  for (const edit of change.edits) next[edit.path] = edit.apply(next[edit.path]);
  return next;
}

describe('progress.md entries', () => {
  it('writes a deploy entry with links, keyed by environment and run id', () => {
    const entry = deployEntry(deploy(), 'en');
    expect(entry.key).toBe('deploy/production/111');
    expect(entry.body).toBe(
      '- 2026-11-29 · **production** · v1.4.0 · [abc1234](https://github.com/acme/shop/commit/abc1234def) · [#42](https://github.com/acme/shop/pull/42) · [deploy](https://shop.example.com) · success · [run](https://github.com/acme/shop/actions/runs/111)',
    );
    expect(deployEntry(deploy({ result: 'failure' }), 'pt-BR').body).toContain(' · falha · [execução](');
  });

  it('upserts: the same key twice is one entry, a re-run on a later day keeps the first date', () => {
    const files = {
      'memory-bank/progress.md': bankTemplates('en', '2026-11-01')['progress.md'],
      'memory-bank/activeContext.md': undefined,
    };
    const once = apply(files, deployChange(deploy(), 'memory-bank', 'en'));
    const twice = apply(once, deployChange(deploy({ date: '2026-11-30' }), 'memory-bank', 'en'));
    expect(twice).toEqual(once);
    const progress = once['memory-bank/progress.md'] ?? '';
    expect(progress.match(/key: deploy\/production\/111/g)).toHaveLength(1);
    expect(progress).not.toContain('_No deploys recorded yet._');
    expect(progress).toContain('_No pull requests recorded yet._');
  });

  it('a re-run that changes the result updates the entry in place', () => {
    const first = upsertEntry(undefined, 'deploys', deployEntry(deploy({ result: 'failure' }), 'en'), 'en');
    const second = upsertEntry(first, 'deploys', deployEntry(deploy(), 'en'), 'en');
    expect(second.match(/<!-- key: deploy\/production\/111 -->/g)).toHaveLength(1);
    expect(second).toContain(' · success · ');
    expect(second).not.toContain(' · failure · ');
  });

  it('keeps entries newest first and other keys untouched', () => {
    let text = upsertEntry(undefined, 'deploys', deployEntry(deploy({ runId: '1', date: '2026-11-01' }), 'en'), 'en');
    text = upsertEntry(text, 'deploys', deployEntry(deploy({ runId: '3', date: '2026-11-03' }), 'en'), 'en');
    text = upsertEntry(text, 'deploys', deployEntry(deploy({ runId: '2', date: '2026-11-02', environment: 'staging' }), 'en'), 'en');
    const keys = [...text.matchAll(/key: (\S+)/g)].map((m) => m[1]);
    expect(keys).toEqual(['deploy/production/3', 'deploy/staging/2', 'deploy/production/1']);
  });

  it('appends the block to a hand-written progress.md without one, keeping the rest', () => {
    const hand = '# Progresso\n\n## Marcos\n\n- MVP — 2025-06 — feito\n';
    const text = upsertEntry(hand, 'merged-prs', { key: 'pr/5', body: '- 2026-11-29 · [#5 X](u)', date: '2026-11-29' }, 'pt-BR');
    expect(text).toBe(
      `${hand}\n## PRs integrados\n\n<!-- merged-prs:start -->\n- 2026-11-29 · [#5 X](u) <!-- key: pr/5 -->\n<!-- merged-prs:end -->\n`,
    );
  });

  it('records a merged pull request once, with title escaped and author', () => {
    const change = mergedPullRequestChange(
      { number: 42, title: 'Fix <script> | table', url: 'https://github.com/acme/shop/pull/42', author: 'dev_1', date: '2026-11-29' },
      'mb',
      'en',
    );
    const once = apply({}, change);
    expect(apply(once, change)).toEqual(once);
    expect(once['mb/progress.md']).toContain(
      '- 2026-11-29 · [#42 Fix \\<script\\> \\| table](https://github.com/acme/shop/pull/42) · @dev\\_1 <!-- key: pr/42 -->',
    );
  });
});

describe('activeContext.md current state', () => {
  it('rewrites date, version and last deploy; keeps the next milestone and notes', () => {
    const start = `# Active Context\n\nIntro.\n\n## Current state [2026-01-01]\n\n- Version in production: v1.3.0\n- Last deploy: old\n- Next milestone: v2 in December\n- Note: keep me\n\n## Work in progress\n\n- x\n`;
    const text = updateCurrentState(start, deploy(), 'en');
    expect(text).toBe(
      `# Active Context\n\nIntro.\n\n## Current state [2026-11-29]\n\n- Version in production: v1.4.0\n- Last deploy: 2026-11-29 · production · v1.4.0 · success · [run](https://github.com/acme/shop/actions/runs/111)\n- Next milestone: v2 in December\n- Note: keep me\n\n## Work in progress\n\n- x\n`,
    );
    expect(updateCurrentState(text, deploy(), 'en')).toBe(text);
  });

  it('a failed deploy changes the last deploy but not the version in production', () => {
    const start = bankTemplates('pt-BR', '2026-01-01')['activeContext.md'];
    const text = updateCurrentState(
      updateCurrentState(start, deploy(), 'pt-BR'),
      deploy({ version: 'v1.5.0', result: 'failure', runUrl: undefined }),
      'pt-BR',
    );
    expect(text).toContain(
      '## Estado Atual [2026-11-29]\n\n- Versão em produção: v1.4.0\n- Último deploy: 2026-11-29 · production · v1.5.0 · falha\n- Próximo marco: —\n',
    );
  });

  it('adds the block (per environment) to a file that has none', () => {
    const text = updateCurrentState('# Contexto\n\n## Outro\n', deploy({ environment: 'staging' }), 'pt-BR');
    expect(text).toBe(
      '# Contexto\n\n## Estado Atual [2026-11-29]\n\n- Versão em staging: v1.4.0\n- Último deploy: 2026-11-29 · staging · v1.4.0 · sucesso · [execução](https://github.com/acme/shop/actions/runs/111)\n- Próximo marco: —\n\n## Outro\n',
    );
  });

  it('understands a bilingual heading and multi-line items (this repository’s own bank)', () => {
    const start = `# Active context\n\n## Estado atual / Current state [2026-11-01]\n- Version in production: none yet.\n- In progress: a, b,\n  c and d.\n\n## Next milestone\nv1.0.0\n`;
    expect(updateCurrentState(start, deploy(), 'en')).toBe(
      `# Active context\n\n## Estado atual / Current state [2026-11-29]\n- Version in production: v1.4.0\n- In progress: a, b,\n  c and d.\n- Last deploy: 2026-11-29 · production · v1.4.0 · success · [run](https://github.com/acme/shop/actions/runs/111)\n\n## Next milestone\nv1.0.0\n`,
    );
  });
});
