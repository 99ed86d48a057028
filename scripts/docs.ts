/**
 * Regenerates documentation from the action.yml files:
 *  - the usage block of each actions/<name>/README.md, between `<!-- start usage -->` and `<!-- end usage -->`;
 *  - the action table of the root README.md, between `<!-- start actions -->` and `<!-- end actions -->`;
 *  - docs/pipeline-workflow.md: the inputs, secrets and outputs of .github/workflows/pipeline.yml;
 *  - the "Developing" table of README.md and README.pt-BR.md, between `<!-- start scripts -->` and
 *    `<!-- end scripts -->`: every npm script of package.json, described in scripts/npm-scripts.ts.
 *
 *   node scripts/docs.ts           write the files
 *   node scripts/docs.ts --check   fail when a file is stale (CI)
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { actionDirs as actionFolders } from './actions.ts';
import { scriptProblems, scriptsTable } from './npm-scripts.ts';
import { format, resolveConfig } from 'prettier';
import { parse, stringify } from 'yaml';
import { registryInputs } from '../packages/sarif/src/options.ts';
import { SCANNERS } from '../packages/sarif/src/scanners/index.ts';

const root = path.resolve(import.meta.dirname, '..');
export const REPOSITORY = 'org/pipeline-toolkit';
/** The moving major tag users pin (`v1`), from the version the packages carry. */
export const MAJOR_TAG = `v${String((JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '1').split('.')[0]}`;

export interface ActionYaml {
  name: string;
  description: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string | number | boolean }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main?: string; post?: string; 'post-if'?: string };
}

/** The actions with an action.yml, sorted. */
export const actionDirs = () => actionFolders('action.yml');

export async function readAction(file: string): Promise<ActionYaml> {
  return parse(await readFile(file, 'utf8')) as ActionYaml;
}

export function usageBlock(uses: string, action: ActionYaml): string {
  const lines = [`- uses: ${uses}`];
  const inputs = Object.entries(action.inputs ?? {});
  if (inputs.length) lines.push('  with:');
  inputs.forEach(([name, input], index) => {
    if (index > 0) lines.push('');
    for (const line of (input.description ?? '').trim().split('\n')) lines.push(`    # ${line}`.trimEnd());
    if (input.required) lines.push('    # Required.');
    if (input.default !== undefined && input.default !== '') lines.push(`    # Default: ${String(input.default).replace(/\n/g, ' ')}`);
    lines.push(`    ${name}: ''`);
  });
  const outputs = Object.entries(action.outputs ?? {});
  const table = outputs.length
    ? [
        '',
        '| Output | Description |',
        '| --- | --- |',
        ...outputs.map(([n, o]) => `| \`${n}\` | ${(o.description ?? '').trim().replace(/\n/g, ' ')} |`),
      ]
    : [];
  return ['```yaml', ...lines, '```', ...table].join('\n');
}

interface WorkflowCall {
  inputs?: Record<string, { description?: string; type?: string; required?: boolean; default?: unknown }>;
  secrets?: Record<string, { description?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
}

const cellText = (text: unknown) =>
  String(text ?? '')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\n+/g, ' ');

/** The reference of a reusable workflow's `on.workflow_call`, as Markdown tables. */
export function workflowReference(file: string, call: WorkflowCall): string {
  const defaults = (value: unknown) => (value === undefined || value === '' ? '' : `\`${cellText(value).replace(/`/g, "'")}\``);
  const inputs = Object.entries(call.inputs ?? {}).map(
    ([name, i]) =>
      `| \`${name}\` | ${i.type ?? 'string'} | ${i.required ? 'yes' : ''} | ${defaults(i.default)} | ${cellText(i.description)} |`,
  );
  const secrets = Object.entries(call.secrets ?? {}).map(
    ([name, x]) => `| \`${name}\` | ${x.required ? 'yes' : ''} | ${cellText(x.description)} |`,
  );
  const outputs = Object.entries(call.outputs ?? {}).map(([name, o]) => `| \`${name}\` | ${cellText(o.description)} |`);
  return [
    '# The reusable workflow: inputs, secrets and outputs',
    '',
    `<!-- Generated from ${file} by \`npm run docs\`; \`npm run docs:check\` fails when it is stale. Do not edit. -->`,
    '',
    `Call [${file}](../${file}) as shown in the [README](../README.md#use-the-reusable-workflow).`,
    '',
    `## Inputs (${inputs.length})`,
    '',
    '| Input | Type | Required | Default | Description |',
    '| --- | --- | --- | --- | --- |',
    ...inputs,
    '',
    `## Secrets (${secrets.length})`,
    '',
    '| Secret | Required | Description |',
    '| --- | --- | --- |',
    ...secrets,
    '',
    `## Outputs (${outputs.length})`,
    '',
    '| Output | Description |',
    '| --- | --- |',
    ...outputs,
    '',
  ].join('\n');
}

/**
 * README.pt-BR.md is kept in step with README.md: the same sections (heading levels, in order) and
 * the same code blocks, byte for byte. Returns what differs.
 */
export function readmeParity(english: string, portuguese: string): string[] {
  const outline = (text: string) => [...text.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^(#{1,6}) /gm)].map((m) => m[1]!.length);
  const code = (text: string) => [...text.matchAll(/^```[^\n]*\n[\s\S]*?^```$/gm)].map((m) => m[0]);
  const problems: string[] = [];
  const [en, pt] = [outline(english), outline(portuguese)];
  if (en.join() !== pt.join())
    problems.push(
      `README.pt-BR.md has sections at levels ${pt.join(',')}; README.md has ${en.join(',')} — translate the sections that changed`,
    );
  const [enCode, ptCode] = [code(english), code(portuguese)];
  if (enCode.length !== ptCode.length) problems.push(`README.pt-BR.md has ${ptCode.length} code blocks; README.md has ${enCode.length}`);
  enCode.forEach((block, i) => {
    if (ptCode[i] !== undefined && ptCode[i] !== block)
      problems.push(`code block ${i + 1} of README.pt-BR.md differs from README.md's:\n${block}`);
  });
  return problems;
}

const SCANNER_INPUTS = [
  '  # start scanner inputs (generated from packages/sarif/src/scanners by `npm run docs`)',
  '  # end scanner inputs',
] as const;

/** The security-scan action's inputs that follow from the scanner registry, as action.yml lines (indented under `inputs:`). */
export function scannerInputsYaml(): string {
  const inputs = Object.fromEntries(registryInputs().map((i) => [i.name, { description: i.description, default: i.default }]));
  return stringify(inputs, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' })
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** The README table of the scanners: their input and flags, what they read, where severities come from, how they are run. */
export function scannerTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = SCANNERS.map((s) => {
    const run = s.run ? cell(s.run.summary) : '—';
    return `| [${s.tool.name}](${s.tool.informationUri}) | \`${s.input}\` (\`--${s.input}\`, \`--${s.tool.id}\`) | ${cell(s.formats)} | ${cell(s.severity)} | ${run} |`;
  });
  return [
    '<!-- Generated from packages/sarif/src/scanners by `npm run docs`; `npm run docs:check` fails when it is stale. Do not edit. -->',
    '',
    '| Scanner | Input (CLI flags) | Reports read | Severity from | `run-scanners: available` runs |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function replaceBetween(text: string, start: string, end: string, body: string, file: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: markers '${start}' and '${end}' are missing`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  // Generated text is formatted as `npm run lint` expects it, so the two checks never disagree.
  const update = async (file: string, generated: string) => {
    const next = await format(generated, { ...(await resolveConfig(file)), filepath: file });
    const current = existsSync(file) ? await readFile(file, 'utf8') : undefined;
    if (current === next) return;
    if (check) stale.push(path.relative(root, file));
    else await writeFile(file, next);
  };

  const scanAction = path.join(root, 'actions', 'security-scan', 'action.yml');
  if (existsSync(scanAction)) {
    await update(scanAction, replaceBetween(await readFile(scanAction, 'utf8'), ...SCANNER_INPUTS, scannerInputsYaml(), scanAction));
    const scanReadme = path.join(root, 'actions', 'security-scan', 'README.md');
    await update(
      scanReadme,
      replaceBetween(await readFile(scanReadme, 'utf8'), '<!-- start scanners -->', '<!-- end scanners -->', scannerTable(), scanReadme),
    );
  }

  const rows: string[] = [];
  for (const name of await actionDirs()) {
    const action = await readAction(path.join(root, 'actions', name, 'action.yml'));
    const uses = `${REPOSITORY}/actions/${name}@${MAJOR_TAG}`;
    const readme = path.join(root, 'actions', name, 'README.md');
    const text = await readFile(readme, 'utf8');
    await update(readme, replaceBetween(text, '<!-- start usage -->', '<!-- end usage -->', usageBlock(uses, action), readme));
    rows.push(`| [${name}](actions/${name}) | ${action.description.trim().replace(/\n/g, ' ')} | \`${uses}\` |`);
  }
  if (existsSync(path.join(root, 'action.yml'))) {
    const action = await readAction(path.join(root, 'action.yml'));
    // The root action has no README of its own: its usage block is docs/release-action.md.
    await mkdir(path.join(root, 'docs'), { recursive: true });
    await update(
      path.join(root, 'docs', 'release-action.md'),
      [
        '# The release action (root): usage',
        '',
        '<!-- Generated from action.yml by `npm run docs`; `npm run docs:check` fails when it is stale. Do not edit. -->',
        '',
        action.description.trim().replace(/\n/g, ' '),
        '',
        usageBlock(`${REPOSITORY}@v1`, action),
        '',
      ].join('\n'),
    );
    rows.unshift(`| [release](action.yml) (root) | ${action.description.trim().replace(/\n/g, ' ')} | \`${REPOSITORY}@${MAJOR_TAG}\` |`);
  }
  const table = ['| Action | What it does | Use |', '| --- | --- | --- |', ...rows].join('\n');
  const { scripts = {} } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  for (const [name, language] of [
    ['README.md', 'en'],
    ['README.pt-BR.md', 'pt'],
  ] as const) {
    const readme = path.join(root, name);
    if (!existsSync(readme)) continue;
    let text = replaceBetween(await readFile(readme, 'utf8'), '<!-- start actions -->', '<!-- end actions -->', table, readme);
    text = replaceBetween(text, '<!-- start scripts -->', '<!-- end scripts -->', scriptsTable(scripts, language), readme);
    await update(readme, text);
  }
  const undocumented = scriptProblems(scripts);
  for (const problem of undocumented) console.error(problem);
  const portuguese = path.join(root, 'README.pt-BR.md');
  const parity = existsSync(portuguese)
    ? readmeParity(await readFile(path.join(root, 'README.md'), 'utf8'), await readFile(portuguese, 'utf8'))
    : ['README.pt-BR.md is missing'];
  for (const problem of parity) console.error(`README.pt-BR.md out of step: ${problem}`);

  const workflowFile = '.github/workflows/pipeline.yml';
  if (existsSync(path.join(root, workflowFile))) {
    const workflow = parse(await readFile(path.join(root, workflowFile), 'utf8')) as { on: { workflow_call: WorkflowCall } };
    await mkdir(path.join(root, 'docs'), { recursive: true });
    await update(path.join(root, 'docs', 'pipeline-workflow.md'), workflowReference(workflowFile, workflow.on.workflow_call));
  }

  if (parity.length || undocumented.length) process.exit(1);
  if (stale.length) {
    console.error(`Stale generated docs (run 'npm run docs' and commit):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log(check ? 'Generated docs are up to date.' : 'Docs regenerated.');
}

if (import.meta.main) await main();
