/**
 * Prepares release X.Y.Z of the toolkit, as a reviewable commit. Dry run by default: prints what
 * it would change and what the release workflow will do, and writes nothing.
 *
 *   npm run release -- 1.2.0            plan only
 *   npm run release -- 1.2.0 --write    bump every package.json (root, packages/*, actions/*) and
 *                                       package-lock.json, date CHANGELOG's [Unreleased] section,
 *                                       regenerate the docs (`@vN` follows the major), record the
 *                                       interface baseline (scripts/release/interface.json)
 *   npm run release -- --baseline       before the first release tag only: record the working
 *                                       tree's interface as the baseline the guard compares with
 *
 * Refuses a version that is not greater than the last release tag, and a minor or patch release
 * when the breaking-change guard finds a removed or renamed input, output or secret.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { dateUnreleased, sectionBody } from './release/changelog.ts';
import { describe as describeGuard, guard } from './release/guard.ts';
import { bumpKind, compareVersions, parseVersion, printable, readInterface } from './release/interface.ts';
import { BASELINE, releaseTags, treeVersion, workingTree } from './release/tree.ts';
import { REPOSITORY } from './docs.ts';

export interface Plan {
  version: string;
  /** The last release tag's version, or undefined before the first release. */
  previous: string | undefined;
  kind: 'first release' | 'major' | 'minor' | 'patch';
  notes: string;
  guard: string;
  /** package.json files whose version changes, relative to the root. */
  manifests: string[];
  lines: string[];
}

/** The workspace manifests: root, packages/*, actions/* (the globs of "workspaces"), relative to root. */
function manifests(root: string): string[] {
  const under = (dir: string) =>
    readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(root, dir, d.name, 'package.json')))
      .map((d) => `${dir}/${d.name}/package.json`)
      .sort();
  return ['package.json', ...under('packages'), ...under('actions')];
}

/** The manifest with its own version and its pins of workspace packages set to `version`. */
export function bumpManifest(text: string, names: Set<string>, version: string): string {
  let next = /^ {2}"version": "[^"]*",?$/m.test(text)
    ? text.replace(/^( {2}"version": )"[^"]*"/m, `$1"${version}"`)
    : text.replace(/^( {2}"name": "[^"]*",)$/m, `$1\n  "version": "${version}",`);
  for (const name of names)
    next = next.replaceAll(new RegExp(`^( {4}"${name.replace(/[/.]/g, '\\$&')}": )"[^"]*"`, 'gm'), `$1"${version}"`);
  return next;
}

export async function plan(root: string, version: string): Promise<Plan> {
  parseVersion(version);
  const [tag] = releaseTags(root);
  const previous = tag?.slice(1);
  if (previous && compareVersions(version, previous) <= 0)
    throw new Error(`version ${version} is not greater than the last release ${tag}`);
  const current = treeVersion(root);
  if (!previous && compareVersions(version, current) < 0)
    throw new Error(`version ${version} is lower than the version the packages already carry (${current})`);
  const kind = previous ? bumpKind(previous, version) : 'first release';
  const checked = guard(root, version);
  if (!checked.ok) throw new Error(describeGuard(checked));
  const changelog = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
  const notes = sectionBody(changelog, 'Unreleased');
  if (!notes) throw new Error('the [Unreleased] section of CHANGELOG.md is missing or empty: write the release notes there first');
  const files = manifests(root);
  const major = `v${parseVersion(version)[0]}`;
  const lines = [
    `Release v${version} (${kind}${previous ? ` after v${previous}` : ''})`,
    '',
    `Breaking-change guard: ${describeGuard(checked)}`,
    '',
    'This preparation changes:',
    `  - version ${current} → ${version} in ${files.length} package.json files and package-lock.json`,
    `  - CHANGELOG.md: [Unreleased] becomes [${version}] - <today>; a new empty [Unreleased] opens`,
    `  - README.md and actions/*/README.md: usage regenerated (uses: …@${major})`,
    `  - ${BASELINE}: the interface recorded at ${version}`,
    '',
    'Once this is merged into main and CI is green, the release workflow (.github/workflows/release.yml),',
    `started with \`gh workflow run release.yml -f version=${version}\` or by pushing the tag v${version}, will:`,
    '  1. refuse unless the commit is on main, its CI run succeeded, check-dist holds, the packages carry',
    `     ${version} and CHANGELOG.md has a [${version}] section`,
    `  2. pack the CLI (npm run package-cli) as pipeline-toolkit-${version}.tgz and write SHA256SUMS`,
    '  3. attest build provenance for dist/ and the tarball (gh attestation verify checks it)',
    `  4. create the annotated tag v${version} and the GitHub release v${version} (a draft until its assets are`,
    '     uploaded, then published: immutable from then on)',
    `  5. move the major tag ${major} to v${version} (unless a higher ${major}.x.y release already exists)`,
    '',
    `Release notes (${notes.split('\n').length} lines):`,
    ...notes.split('\n').map((l) => `  | ${l}`),
  ];
  return { version, previous, kind, notes, guard: describeGuard(checked), manifests: files, lines };
}

export async function write(root: string, p: Plan, date: string): Promise<void> {
  const names = new Set(
    p.manifests.map((f) => (JSON.parse(readFileSync(path.join(root, f), 'utf8')) as { name: string }).name).filter((n) => n !== undefined),
  );
  for (const file of p.manifests) {
    const full = path.join(root, file);
    writeFileSync(full, bumpManifest(readFileSync(full, 'utf8'), names, p.version));
  }
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund']);
  const changelog = path.join(root, 'CHANGELOG.md');
  writeFileSync(changelog, dateUnreleased(readFileSync(changelog, 'utf8'), p.version, date, REPOSITORY, p.previous));
  run(process.execPath, [path.join(root, 'scripts/docs.ts')]);
  await writeBaseline(root, p.version);
}

/** Records the working tree's interface, formatted as `npm run lint` expects it. */
export async function writeBaseline(root: string, version: string): Promise<void> {
  const file = path.join(root, BASELINE);
  const recorded = readInterface(workingTree(root), version);
  writeFileSync(file, await format(JSON.stringify(recorded), { ...(await resolveConfig(file)), filepath: file }));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      write: { type: 'boolean', default: false },
      baseline: { type: 'boolean', default: false },
      date: { type: 'string' },
      root: { type: 'string' },
    },
  });
  const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));
  if (values.baseline) {
    const [tag] = releaseTags(root);
    if (tag)
      throw new Error(`${tag} is released: the guard compares with it, not with the baseline; a breaking change needs a major release`);
    await writeBaseline(root, treeVersion(root));
    console.log(`Recorded the working tree's interface in ${BASELINE} (version ${treeVersion(root)}).`);
    return;
  }
  if (positionals.length !== 1) throw new Error('usage: npm run release -- X.Y.Z [--write]   (or --baseline)');
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date '${printable(date)}' is not YYYY-MM-DD`);
  const p = await plan(root, positionals[0]!);
  console.log(p.lines.join('\n'));
  if (!values.write) {
    console.log(`\nDry run: nothing was changed. Run \`npm run release -- ${p.version} --write\` to prepare the commit.`);
    return;
  }
  await write(root, p, date);
  console.log(`\nPrepared v${p.version}. Review \`git diff\`, commit ("release: v${p.version}") and merge into main.`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
