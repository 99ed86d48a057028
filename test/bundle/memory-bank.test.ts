import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bankTemplates, initBank } from '@pipeline-toolkit/memory-bank';
import { createRunnerEnv, runBundle, type RunnerEnv } from '@pipeline-toolkit/testing';
import { FakeGitHub } from '../../packages/memory-bank/test/fake-github.ts';

let runner: RunnerEnv;
let github: FakeGitHub;
const bank = () => path.join(runner.dir, 'memory-bank');

beforeEach(async () => {
  github = await FakeGitHub.start();
  runner = await createRunnerEnv({ GITHUB_API_URL: github.url, GITHUB_REF: 'refs/heads/main' });
  await initBank(bank(), 'pt-BR', '2026-11-01');
});
afterEach(async () => {
  await runner.cleanup();
  await github.close();
});

describe('dist/memory-bank', () => {
  it('record-deploy writes the files of a pt-BR bank, and a re-run changes nothing', async () => {
    const inputs = {
      command: 'record-deploy',
      environment: 'production',
      version: 'v1.2.3',
      'deploy-url': 'https://loja.example.com',
      'github-token': '',
    };
    const first = await runBundle('memory-bank', { runner, inputs });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ changed: 'true', files: '["memory-bank/progress.md","memory-bank/activeContext.md"]' });
    const progress = await readFile(path.join(bank(), 'progress.md'), 'utf8');
    expect(progress).toMatch(
      /- \d{4}-\d\d-\d\d · \*\*production\*\* · v1\.2\.3 · \[4b825dc\]\(https:\/\/github\.com\/acme\/shop\/commit\/4b825dc[0-9a-f]+\) · \[deploy\]\(https:\/\/loja\.example\.com\) · sucesso · \[execução\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/9876543210\) <!-- key: deploy\/production\/9876543210 -->/,
    );
    expect(await readFile(path.join(bank(), 'activeContext.md'), 'utf8')).toContain('- Versão em produção: v1.2.3\n');

    const again = await runBundle('memory-bank', { runner, inputs });
    expect(again.exitCode).toBe(0);
    expect(again.outputs['changed']).toBe('false');
    expect(await readFile(path.join(bank(), 'progress.md'), 'utf8')).toBe(progress);
    expect(github.server.requests).toEqual([]);
  });

  it('commit mode survives a conflict on the first write: both entries land', async () => {
    github.push('main', { 'memory-bank/progress.md': bankTemplates('pt-BR', '2026-11-01')['progress.md'] });
    let landed = false;
    github.beforeRefUpdate = () => {
      if (landed) return;
      landed = true;
      const text = github.file('main', 'memory-bank/progress.md') ?? '';
      github.push('main', {
        'memory-bank/progress.md': text.replace(
          '<!-- deploys:start -->\n',
          '<!-- deploys:start -->\n- 2026-11-28 · **staging** · v1.2.2 · sucesso <!-- key: deploy/staging/1 -->\n',
        ),
      });
    };
    const result = await runBundle('memory-bank', {
      runner,
      inputs: { command: 'record-deploy', version: 'v1.2.3', mode: 'commit', 'github-token': 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['commit-sha']).toBe(github.refs.get('main'));
    const keys = [...(github.file('main', 'memory-bank/progress.md') ?? '').matchAll(/key: (\S+)/g)].map((m) => m[1]);
    expect(keys).toEqual(['deploy/production/9876543210', 'deploy/staging/1']);
    expect(github.server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
    expect(github.server.requests.every((r) => r.headers.authorization === 'token ghs_0123456789abcdefghijklmnopqrstuvwxyzAB')).toBe(true);
    // Masked for the runner first, never printed otherwise.
    expect(result.commands[0]).toMatchObject({ command: 'add-mask' });
    expect(result.stdout.split('\n').slice(1).join('\n')).not.toContain('ghs_0123456789abcdefghijklmnopqrstuvwxyzAB');
  });

  it('pull-request mode opens a pull request and outputs its URL', async () => {
    github.push('main', { 'README.md': '# shop\n' });
    const event = path.join(runner.dir, 'event.json');
    await writeFile(
      event,
      JSON.stringify({
        pull_request: {
          number: 31,
          title: 'Checkout v2',
          html_url: 'https://github.com/acme/shop/pull/31',
          merged_at: '2026-11-27T12:00:00Z',
          user: { login: 'bia' },
        },
      }),
    );
    const result = await runBundle('memory-bank', {
      runner,
      inputs: { command: 'record-progress', mode: 'pull-request', 'github-token': 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB' },
      env: { GITHUB_EVENT_NAME: 'pull_request' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['pull-request-url']).toBe('https://github.com/acme/shop/pull/100');
    expect(github.pulls[0]).toMatchObject({ head: 'memory-bank/pr-31', base: 'main' });
    expect(github.file('memory-bank/pr-31', 'memory-bank/progress.md')).toContain(
      '- 2026-11-27 · [#31 Checkout v2](https://github.com/acme/shop/pull/31) · @bia <!-- key: pr/31 -->',
    );
    expect(result.summary).toContain('Pull request: https://github.com/acme/shop/pull/100');
  });

  it('lint fails with an annotation per problem, including an ADR number another open pull request adds', async () => {
    await writeFile(
      path.join(bank(), 'ADR-001-cache.md'),
      '# ADR-001: Cache\n\n- Status: Aceito\n- Data: 2026-11-02\n\n## Contexto\n\n## Decisão\n\n## Consequências\n',
    );
    await writeFile(
      path.join(bank(), 'ADR-002-fila.md'),
      '# ADR-002: Fila\n\n- Status: talvez\n- Data: 2026-11-03\n\n## Contexto\n\n## Decisão\n\n## Consequências\n',
    );
    github.addPull({
      number: 9,
      title: 'this one',
      head: 'fila',
      base: 'main',
      files: [{ filename: 'memory-bank/ADR-002-fila.md', status: 'added' }],
    });
    github.addPull({
      number: 5,
      title: 'other',
      head: 'eventos',
      base: 'main',
      files: [{ filename: 'memory-bank/ADR-002-eventos.md', status: 'added' }],
    });
    const token = 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB';

    // A push run checks the branch itself; other people's pull requests cannot fail it.
    const push = await runBundle('memory-bank', { runner, inputs: { command: 'lint', 'github-token': token } });
    expect(push.exitCode).toBe(1);
    expect(push.commands.filter((c) => c.command === 'error')).toHaveLength(3);
    expect(github.server.requests).toEqual([]);

    await writeFile(
      path.join(runner.dir, 'event.json'),
      JSON.stringify({ number: 9, pull_request: { number: 9, title: 'this one', html_url: 'u' } }),
    );
    const result = await runBundle('memory-bank', {
      runner,
      inputs: { command: 'lint', 'github-token': token },
      env: { GITHUB_EVENT_NAME: 'pull_request' },
    });
    expect(result.exitCode).toBe(1);
    const errors = result.commands.filter((c) => c.command === 'error');
    expect(errors.map((e) => `${e.properties['file']}:${e.properties['line']} ${e.message}`)).toEqual([
      "memory-bank/ADR-002-fila.md:3 status 'talvez' is not one of proposed/accepted/rejected/deprecated/superseded or Proposto/Aceito/Rejeitado/Obsoleto/Substituído",
      "memory-bank/decisionLog.md:10 the ADR index is out of date; run 'pipeline-toolkit memory-bank index'",
      "memory-bank/ADR-002-fila.md:1 ADR-002 is also taken by ADR-002-eventos.md in pull request #5; renumber one of them ('pipeline-toolkit adr renumber 2 <free number>')",
      'undefined:undefined memory-bank lint found 3 problem(s).',
    ]);
    expect(result.summary).toContain('3 problem(s)');
  });

  it('index regenerates the table; a bad command fails with the accepted values', async () => {
    await mkdir(bank(), { recursive: true });
    await writeFile(
      path.join(bank(), 'ADR-001.md'),
      '# ADR-001: Cache\n\n**Status:** Aceito\n**Data:** 2025-06-27\n\n## Contexto\n\n## Decisão\n\n## Consequências\n',
    );
    const index = await runBundle('memory-bank', { runner, inputs: { command: 'index', 'github-token': '' } });
    expect(index.exitCode).toBe(0);
    expect(await readFile(path.join(bank(), 'decisionLog.md'), 'utf8')).toContain(
      '| ADR-001 | [Cache](ADR-001.md) | Aceito | 2025-06-27 | — | — |',
    );
    const lint = await runBundle('memory-bank', { runner, inputs: { command: 'lint', 'github-token': '' } });
    expect(lint.exitCode).toBe(0);
    expect(lint.summary).toContain('No problems found.');

    const bad = await runBundle('memory-bank', { runner, inputs: { command: 'publish' } });
    expect(bad.exitCode).toBe(2);
    expect(bad.commands.find((c) => c.command === 'error')?.message).toBe(
      "Input 'command' must be one of record-deploy, record-progress, index, lint, import, got 'publish'.",
    );
  });

  it('import: a MADR / log4brains set (test/fixtures/adr) becomes ADR-NNN records whose index passes lint', async () => {
    await cp(path.resolve(import.meta.dirname, '../fixtures/adr/log4brains/docs/adr'), path.join(runner.dir, 'docs/adr'), {
      recursive: true,
    });
    const imported = await runBundle('memory-bank', { runner, inputs: { command: 'import', source: 'docs/adr', 'github-token': '' } });
    expect(imported.stderr).toBe('');
    expect(imported.exitCode).toBe(0);
    expect(JSON.parse(imported.outputs['files'] ?? '[]')).toHaveLength(10);
    expect(imported.summary).toContain(
      '| 20201016-use-the-adr-slug-as-its-unique-id.md | ADR-006-use-the-adr-slug-as-its-unique-id.md | 2 |',
    );
    const log = await readFile(path.join(bank(), 'decisionLog.md'), 'utf8');
    expect(log).toContain(
      '| ADR-004 | [Use the ADR number as its unique ID](ADR-004-use-the-adr-number-as-its-unique-id.md) | Substituído | 2020-09-26 | — | [ADR-006](ADR-006-use-the-adr-slug-as-its-unique-id.md) |',
    );
    const lint = await runBundle('memory-bank', { runner, inputs: { command: 'lint', 'github-token': '' } });
    // The one record that really lacks sections (Context, Consequences): nothing else.
    expect(lint.commands.filter((c) => c.command === 'error').map((c) => c.properties?.['file'])).toEqual([
      'memory-bank/ADR-005-avoid-default-exports.md',
      'memory-bank/ADR-005-avoid-default-exports.md',
      undefined,
    ]);
  });
});
