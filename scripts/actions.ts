import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The actions/<name> folders that hold `marker` (a path inside the folder), sorted. */
export async function actionDirs(marker: string): Promise<string[]> {
  return (await readdir(path.join(root, 'actions'), { withFileTypes: true }))
    .filter((d) => d.isDirectory() && existsSync(path.join(root, 'actions', d.name, marker)))
    .map((d) => d.name)
    .sort();
}
