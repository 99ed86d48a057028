/**
 * Regenerates documentation from the action.yml files:
 *  - the usage block of each actions/<name>/README.md, between `<!-- start usage -->` and `<!-- end usage -->`;
 *  - the action table of the root README.md, between `<!-- start actions -->` and `<!-- end actions -->`.
 *
 *   node scripts/docs.ts           write the files
 *   node scripts/docs.ts --check   fail when a file is stale (CI)
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { actionDirs as actionFolders } from './actions.ts';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

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
    const current = await readFile(file, 'utf8');
    if (current === next) return;
    if (check) stale.push(path.relative(root, file));
    else await writeFile(file, next);
  };

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
    rows.unshift(`| [release](action.yml) (root) | ${action.description.trim().replace(/\n/g, ' ')} | \`${REPOSITORY}@${MAJOR_TAG}\` |`);
  }
  const table = ['| Action | What it does | Use |', '| --- | --- | --- |', ...rows].join('\n');
  const readme = path.join(root, 'README.md');
  await update(readme, replaceBetween(await readFile(readme, 'utf8'), '<!-- start actions -->', '<!-- end actions -->', table, readme));

  if (stale.length) {
    console.error(`Stale generated docs (run 'npm run docs' and commit):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log(check ? 'Generated docs are up to date.' : 'Docs regenerated.');
}

if (import.meta.main) await main();
