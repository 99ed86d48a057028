import { copyFile, lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Exec } from '@pipeline-toolkit/core';

/**
 * Trivy on a diff-aware scan (ADR-035): it scans a copy of the files the change touched, each with
 * the files Trivy reads together with it, at their repository paths — so that a finding's path is
 * the repository's. What it copies for a changed file:
 *  - the file and the other files of its folder (a lock file and its manifest, go.mod and go.sum,
 *    a Terraform module's files, a Kubernetes manifest beside its kustomization);
 *  - inside a Helm chart (a folder above it holds Chart.yaml): the whole chart, which Trivy renders;
 *  - a Terraform file: every Terraform file of the repository (modules call each other by path);
 *  - a pom.xml: every pom.xml of the repository (parents are read by relative path).
 * Unchanged dependencies and their new advisories are the default branch's full scan's to report.
 */

const TERRAFORM = /\.(?:tf|tf\.json|tfvars|tfvars\.json)$/;
const isPom = (file: string) => path.posix.basename(file) === 'pom.xml';

/** The repository paths to copy for these changed paths, given every path of the repository (both `/`-separated). */
export function diffContext(changed: readonly string[], files: readonly string[]): string[] {
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const folder = path.posix.dirname(file);
    const list = byFolder.get(folder);
    if (list) list.push(file);
    else byFolder.set(folder, [file]);
  }
  const present = new Set(files);
  const touched = changed.filter((f) => present.has(f));
  const charts = files.filter((f) => path.posix.basename(f) === 'Chart.yaml').map((f) => path.posix.dirname(f));
  const within = (folder: string, file: string) => folder === '.' || file.startsWith(`${folder}/`);
  const touchedCharts = charts.filter((chart) => touched.some((f) => within(chart, f)));
  const terraform = touched.some((f) => TERRAFORM.test(f));
  const poms = touched.some(isPom);
  const out = new Set<string>();
  for (const file of touched) for (const sibling of byFolder.get(path.posix.dirname(file)) ?? []) out.add(sibling);
  for (const file of files) {
    if ((terraform && TERRAFORM.test(file)) || (poms && isPom(file)) || touchedCharts.some((chart) => within(chart, file))) out.add(file);
  }
  return [...out].sort();
}

/** `-z` output of git: NUL-separated paths. */
const paths = (stdout: string) => stdout.split('\0').filter(Boolean);

/** The files changed between `base` and HEAD (added, copied, modified, renamed, type-changed; not deleted). */
export async function changedFiles(workspace: string, base: string, exec: Exec): Promise<string[]> {
  const { stdout } = await exec('git', ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=ACMRT', base, 'HEAD', '--'], {
    cwd: workspace,
    timeoutMs: 120_000,
  });
  return paths(stdout);
}

/**
 * Writes into `tree` (emptied first) the copy Trivy scans on a diff-aware scan: the changed files
 * and their context (diffContext), regular files only (a symbolic link is not followed out of the
 * repository). Returns the repository paths copied.
 */
export async function writeDiffTree(
  workspace: string,
  base: string,
  tree: string,
  exec: Exec,
): Promise<{ changed: string[]; copied: string[] }> {
  const changed = await changedFiles(workspace, base, exec);
  const { stdout } = await exec('git', ['ls-files', '-z', '--cached'], { cwd: workspace, timeoutMs: 120_000 });
  const wanted = diffContext(changed, paths(stdout));
  await rm(tree, { recursive: true, force: true });
  await mkdir(tree, { recursive: true });
  const copied: string[] = [];
  for (const file of wanted) {
    const from = path.join(workspace, file);
    const info = await lstat(from).catch(() => undefined);
    if (!info?.isFile()) continue;
    const to = path.join(tree, file);
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to);
    copied.push(file);
  }
  return { changed, copied };
}
