import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fixtures } from './helpers.ts';

/** The licence of each origin repository, from LICENSES/README.md's table (`| owner/a, owner/b | licence | file |`). */
async function licenceTable(): Promise<Map<string, { licence: string; file: string }>> {
  const text = await readFile(path.join(fixtures, 'LICENSES/README.md'), 'utf8');
  const table = new Map<string, { licence: string; file: string }>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !cells[1] || cells[1].startsWith('origin') || cells[1].startsWith('---')) continue;
    for (const repo of cells[1].split(',')) table.set(repo.trim().replace(/ \(.*\)$/, ''), { licence: cells[2]!, file: cells[3]! });
  }
  return table;
}

interface Entry {
  heading: string;
  repo: string;
  licence: string | undefined;
}

/** The entries of SOURCES.md written as `### file` sections: their origin repository and stated licence. */
async function sourceEntries(): Promise<Entry[]> {
  const text = await readFile(path.join(fixtures, 'SOURCES.md'), 'utf8');
  return text
    .split(/^### /m)
    .slice(1)
    .map((section) => ({
      heading: section.split('\n')[0]!,
      repo: /Origin: https:\/\/github\.com\/([^\s—]+)/.exec(section)?.[1] ?? '',
      licence: /Licence of origin repo: ([^\s;]+)/.exec(section)?.[1],
    }));
}

async function fixtureFiles(dir = fixtures): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'LICENSES') out.push(...(await fixtureFiles(full)));
    } else if (entry.name !== 'SOURCES.md') out.push(path.relative(fixtures, full));
  }
  return out;
}

describe('scanner fixtures: SOURCES.md and licences', () => {
  it("every entry's licence line is its origin repository's licence, whose text is in LICENSES/", async () => {
    const table = await licenceTable();
    const entries = await sourceEntries();
    expect(entries.length).toBeGreaterThan(30);
    const wrong = entries.flatMap((e) => {
      const known = table.get(e.repo);
      if (!known) return [`${e.heading}: origin ${e.repo || '(none)'} is not in LICENSES/README.md`];
      if (!e.licence || !known.licence.startsWith(e.licence))
        return [`${e.heading}: says ${e.licence ?? 'nothing'}, ${e.repo} is ${known.licence}`];
      if (known.file !== '—' && !existsSync(path.join(fixtures, 'LICENSES', known.file))) return [`${known.file} is missing`];
      return [];
    });
    expect(wrong).toEqual([]);
  });

  it('the codeql-action fixtures are under MIT, the licence of github/codeql-action, with its text', async () => {
    const entries = (await sourceEntries()).filter((e) => e.repo === 'github/codeql-action');
    expect(entries.map((e) => e.heading)).toEqual([
      '`codeql-action-valid-multirun.sarif`',
      '`codeql-action-tool-names.sarif`',
      '`sarif-schema-2.1.0.codeql-action.json`',
    ]);
    expect(entries.map((e) => e.licence)).toEqual(['MIT', 'MIT', 'MIT']);
    const text = await readFile(path.join(fixtures, 'LICENSES', (await licenceTable()).get('github/codeql-action')!.file), 'utf8');
    expect(text).toMatch(/^MIT License\n\nCopyright GitHub\n\nPermission is hereby granted, free of charge/);
  });

  it('every fixture file is named in SOURCES.md', async () => {
    const sources = await readFile(path.join(fixtures, 'SOURCES.md'), 'utf8');
    const missing = (await fixtureFiles()).filter((file) => !sources.includes(path.basename(file)));
    expect(missing).toEqual([]);
  });
});
