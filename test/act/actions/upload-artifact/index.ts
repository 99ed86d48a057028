/**
 * actions/upload-artifact, offline. Layout as upload-artifact makes it: one folder uploads its
 * contents; several paths keep their paths relative to their deepest common folder. The store
 * (PTK_ACT_ARTIFACTS) belongs to one run, and a name is refused the second time, as GitHub does.
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const input = (name: string) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message: string): never => {
  console.log(`::error title=upload-artifact (local stand-in)::${message}`);
  process.exit(1);
};

const store = process.env['PTK_ACT_ARTIFACTS'] ?? '';
if (!store) fail('PTK_ACT_ARTIFACTS is not set: there is no artifact store offline.');
const name = input('name') || 'artifact';
const lines = input('path')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
for (const line of lines) if (/[*?[\]!]/.test(line)) fail(`path pattern '${line}' is not supported by the stand-in (literal paths only).`);

const found = lines.map((l) => path.resolve(l)).filter((p) => existsSync(p));
if (found.length === 0) {
  const mode = input('if-no-files-found') || 'warn';
  const message = `No files were found with the provided path: ${lines.join(', ')}. No artifacts will be uploaded.`;
  if (mode === 'error') fail(message);
  if (mode === 'warn') console.log(`::warning::${message}`);
  process.exit(0);
}

const single = found.length === 1 && statSync(found[0]!).isDirectory();
const root = single
  ? found[0]!
  : found
      .map((p) => path.dirname(p))
      .reduce((a, b) => {
        while (!(b + path.sep).startsWith(a + path.sep)) a = path.dirname(a);
        return a;
      });
if (/[":<>|*?\r\n\\/]/.test(name))
  fail(`The artifact name is not valid: ${JSON.stringify(name)}. It contains a character artifacts refuse.`);
const dest = path.join(store, name);
// As upload-artifact v4+ against GitHub: names are unique in a workflow run; a second upload of a
// name fails unless `overwrite: true` deletes the first.
if (existsSync(dest)) {
  if (input('overwrite') !== 'true') {
    fail(
      'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
    );
  }
  rmSync(dest, { recursive: true, force: true });
}
mkdirSync(dest, { recursive: true });
for (const p of found) cpSync(p, single ? dest : path.join(dest, path.relative(root, p)), { recursive: true });
console.log(`Artifact ${name}: ${found.map((p) => path.relative(process.cwd(), p)).join(', ')} → ${dest}`);
appendFileSync(process.env['GITHUB_OUTPUT']!, `artifact-id=${name}\n`);
