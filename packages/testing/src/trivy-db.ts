import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './runner.ts';
import { requireTool, toolsDir } from './tools.ts';

/**
 * Trivy's vulnerability database cannot be downloaded here (its OCI registries are out of reach), so
 * the real-component tier builds a small one offline with the real builder (`trivy-db build`, from
 * `npm run tools`) over real GitHub Security Advisories kept in the repository
 * (test/fixtures/advisories, in the layout trivy-db's GHSA source reads: ghsa/advisories/github-reviewed/…).
 * The database is built once per content of that folder, under
 * ~/.cache/pipeline-toolkit/trivy-db/<hash>/db/ (trivy.db + metadata.json, as trivy-db writes them).
 */
export const advisoriesDir = path.join(repoRoot, 'test', 'fixtures', 'advisories');

/** Where built databases are kept, one folder per advisories hash. */
export const trivyDbCacheRoot = path.join(path.dirname(toolsDir), 'trivy-db');

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full, base) : [path.relative(base, full).split(path.sep).join('/')];
    });
}

/** SHA-256 over the advisory files (their paths and bytes): the key of the built database. */
export function advisoriesHash(dir = advisoriesDir): string {
  const hash = createHash('sha256');
  const ghsa = path.join(dir, 'ghsa');
  for (const file of filesUnder(ghsa))
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(ghsa, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

export interface OfflineTrivyDb {
  /** <cache>/trivy-db/<hash>: its db/ holds trivy.db and metadata.json as the builder wrote them. */
  dir: string;
  hash: string;
  /** The advisory files it was built from (paths under ghsa/). */
  advisories: string[];
  /** True when this call ran the builder (false: reused). */
  built: boolean;
}

/**
 * The database built from the fixture advisories: reused when already built for their hash, else
 * built now with `trivy-db build --only-update ghsa` (the builder of `npm run tools`, or `builder`).
 * The builder's GHSA source walks <cache-dir>/ghsa/advisories/github-reviewed and
 * <cache-dir>/cocoapods-specs/Specs (empty here), and lists Go's standard packages with `go list std`
 * when it starts, so Go must be on PATH.
 */
export function offlineTrivyDb(options: { builder?: string; log?: (line: string) => void } = {}): OfflineTrivyDb {
  const hash = advisoriesHash();
  const dir = path.join(trivyDbCacheRoot, hash);
  const advisories = filesUnder(path.join(advisoriesDir, 'ghsa'));
  if (existsSync(path.join(dir, 'db', 'trivy.db')) && existsSync(path.join(dir, 'db', 'metadata.json')))
    return { dir, hash, advisories, built: false };
  const builder = options.builder ?? requireTool('trivy-db').path;
  mkdirSync(trivyDbCacheRoot, { recursive: true });
  const stage = mkdtempSync(path.join(trivyDbCacheRoot, `.build-${hash}-`));
  try {
    const cache = path.join(stage, 'cache');
    cpSync(path.join(advisoriesDir, 'ghsa'), path.join(cache, 'ghsa'), { recursive: true });
    mkdirSync(path.join(cache, 'cocoapods-specs', 'Specs'), { recursive: true });
    const out = path.join(stage, 'db');
    const args = ['build', '--only-update', 'ghsa', '--cache-dir', cache, '--output-dir', out, '--update-interval', '24h'];
    options.log?.(`trivy-db ${args.join(' ')}`);
    // cwd: the builder reads an `overrides` folder relative to it; the stage has none
    execFileSync(builder, args, {
      cwd: stage,
      env: { ...process.env, GOTOOLCHAIN: 'local' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    const meta = JSON.parse(readFileSync(path.join(out, 'metadata.json'), 'utf8')) as { Version?: number };
    if (meta.Version !== 2) throw new Error(`trivy-db wrote a database of schema ${String(meta.Version)}; Trivy 0.74 reads schema 2`);
    if (!existsSync(path.join(out, 'trivy.db'))) throw new Error(`trivy-db wrote no ${path.join(out, 'trivy.db')}`);
    rmSync(path.join(stage, 'cache'), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(stage, dir);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return { dir, hash, advisories, built: true };
}

/**
 * A fresh temporary Trivy cache folder (`--cache-dir`, the security-scan action's trivy-cache-dir)
 * holding the offline database: db/trivy.db and db/metadata.json, with DownloadedAt set to now so
 * that the action's ensureTrivyDb takes it from the cache (as after a download less than
 * trivy-db-max-age ago) and Trivy runs with --skip-db-update. The caller removes it.
 */
export function offlineTrivyCache(options: { now?: Date; parent?: string } = {}): string {
  const { dir } = offlineTrivyDb();
  const cache = mkdtempSync(path.join(options.parent ?? tmpdir(), 'ptk-trivy-cache-'));
  mkdirSync(path.join(cache, 'db'));
  cpSync(path.join(dir, 'db', 'trivy.db'), path.join(cache, 'db', 'trivy.db'));
  const meta = JSON.parse(readFileSync(path.join(dir, 'db', 'metadata.json'), 'utf8')) as Record<string, unknown>;
  const now = options.now ?? new Date();
  writeFileSync(
    path.join(cache, 'db', 'metadata.json'),
    JSON.stringify({ ...meta, NextUpdate: new Date(now.getTime() + 24 * 3600_000).toISOString(), DownloadedAt: now.toISOString() }),
  );
  return cache;
}
