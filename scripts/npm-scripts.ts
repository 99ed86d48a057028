/**
 * What each npm script of package.json is for, in English and Portuguese: the source of the
 * "Developing" tables of README.md and README.pt-BR.md (`npm run docs` writes them,
 * `npm run docs:check` fails when package.json has a script this list does not describe, or this
 * list describes a script package.json no longer has).
 */

export interface ScriptDoc {
  /** How it is typed, when it takes arguments (default `npm run <name>`, or `npm test` / `npm start`). */
  command?: string;
  en: string;
  pt: string;
}

export const SCRIPTS: Record<string, ScriptDoc> = {
  test: {
    en: 'typecheck, unit tests, bundle tests and the hostile-input tests (tiers 1–2); needs nothing but npm',
    pt: 'typecheck, testes unitários, dos bundles e de entradas hostis (camadas 1–2); só precisa do npm',
  },
  'test:unit': {
    command: 'npm run test:unit -- <path>',
    en: 'the unit tests alone, or those under a path',
    pt: 'só os testes unitários, ou os de um caminho',
  },
  'test:bundle': {
    en: 'the bundle tests: each `dist/<name>/index.js` run as the runner runs it',
    pt: 'os testes dos bundles: cada `dist/<name>/index.js` rodado como o runner roda',
  },
  'test:hostile': {
    en: 'hostile inputs: injection, contained paths, outbound requests, the production guard',
    pt: 'entradas hostis: injeção, caminhos contidos, requisições de saída, a proteção de produção',
  },
  'test:real': {
    command: 'npm run test:real -- <path>',
    en: 'tier 3: real PostgreSQL, scanners, Helm, a local Kubernetes control plane, act (after `npm run tools`)',
    pt: 'camada 3: PostgreSQL, scanners, Helm, um control plane Kubernetes local e o act de verdade (depois de `npm run tools`)',
  },
  'test:e2e': {
    en: 'the deploy end-to-end tests alone, on the local control plane',
    pt: 'só os testes ponta a ponta do deploy, no control plane local',
  },
  typecheck: { en: 'TypeScript, strict, without emitting', pt: 'TypeScript estrito, sem gerar arquivos' },
  lint: { en: 'ESLint and Prettier', pt: 'ESLint e Prettier' },
  format: { en: 'Prettier and ESLint fix what they can', pt: 'Prettier e ESLint corrigem o que podem' },
  build: {
    en: 'bundle every action into `dist/<name>/` and check the size budgets',
    pt: 'empacota cada action em `dist/<name>/` e confere os limites de tamanho',
  },
  'check-dist': {
    en: 'rebuild and fail if `dist/` differs from what is committed',
    pt: 'reconstrói e falha se `dist/` difere do que está no commit',
  },
  docs: {
    en: 'regenerate the action READMEs’ usage blocks, the tables of the READMEs and docs/pipeline-workflow.md',
    pt: 'regenera os blocos de uso dos READMEs das actions, as tabelas dos READMEs e docs/pipeline-workflow.md',
  },
  'docs:check': {
    en: 'fail when a generated doc is stale or README.pt-BR.md is out of step with README.md',
    pt: 'falha quando um documento gerado está velho ou o README.pt-BR.md não acompanha o README.md',
  },
  pictures: {
    en: 'render docs/images from the code: Slack messages, job summary, deploy timeline, pipeline (PNG with `chromium` on PATH)',
    pt: 'gera docs/images a partir do código: mensagens do Slack, resumo do job, linha do tempo do deploy, pipeline (PNG com `chromium` no PATH)',
  },
  'package-cli': {
    en: 'pack the CLI into a self-contained tarball for `npm install -g`; prints its path last',
    pt: 'empacota a CLI num tarball autossuficiente para `npm install -g`; imprime o caminho no fim',
  },
  'pipeline-toolkit': {
    command: 'npx pipeline-toolkit <command>',
    en: 'the CLI from the source (`--help` lists the commands)',
    pt: 'a CLI a partir do código-fonte (`--help` lista os comandos)',
  },
  release: {
    command: 'npm run release -- X.Y.Z',
    en: 'plan a release (dry run); `--write` prepares the commit',
    pt: 'planeja uma release (simulação); `--write` prepara o commit',
  },
  tools: {
    en: 'install the real tools of tier 3 into `~/.cache/pipeline-toolkit/tools/`',
    pt: 'instala as ferramentas reais da camada 3 em `~/.cache/pipeline-toolkit/tools/`',
  },
  cluster: {
    command: 'npm run cluster -- up',
    en: 'start the local Kubernetes control plane of the tests and print its kubeconfig (`down` stops it, `status` lists)',
    pt: 'inicia o control plane Kubernetes local dos testes e imprime o kubeconfig (`down` para, `status` lista)',
  },
  start: {
    en: 'the pipeline, stage by stage, on a copy of the example service',
    pt: 'o pipeline, etapa por etapa, numa cópia do serviço de exemplo',
  },
  bench: {
    en: 'cold start and throughput, as ratios against a baseline measured in the same run',
    pt: 'partida a frio e vazão, como razões contra uma base medida na mesma execução',
  },
};

const commandOf = (name: string, doc: ScriptDoc) =>
  doc.command ?? (name === 'test' || name === 'start' ? `npm ${name}` : `npm run ${name}`);

/** What differs between package.json's scripts and SCRIPTS: one sentence per script. */
export function scriptProblems(scripts: Record<string, string>, docs: Record<string, ScriptDoc> = SCRIPTS): string[] {
  return [
    ...Object.keys(scripts)
      .filter((name) => !(name in docs))
      .map((name) => `package.json's script '${name}' is not described: add it to scripts/npm-scripts.ts`),
    ...Object.keys(docs)
      .filter((name) => !(name in scripts))
      .map((name) => `scripts/npm-scripts.ts describes '${name}', which package.json no longer has: remove it`),
  ];
}

/** The Developing table, in package.json's order, of the scripts SCRIPTS describes. */
export function scriptsTable(scripts: Record<string, string>, language: 'en' | 'pt', docs: Record<string, ScriptDoc> = SCRIPTS): string {
  const header = language === 'en' ? '| Command | What it does |' : '| Comando | O que faz |';
  const rows = Object.keys(scripts)
    .filter((name) => name in docs)
    .map((name) => `| \`${commandOf(name, docs[name]!)}\` | ${docs[name]![language].replace(/\|/g, '\\|')} |`);
  return [header, '| --- | --- |', ...rows].join('\n');
}
