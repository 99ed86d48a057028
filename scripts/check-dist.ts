/**
 * Rebuilds dist/ and fails when it differs from what is committed (untracked files count):
 * users run the committed bundles, so they must be exactly what the source builds.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
execFileSync(process.execPath, [path.join(root, 'scripts/build.ts')], { stdio: 'inherit', cwd: root });
const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist'], { cwd: root, encoding: 'utf8' });
if (status.trim()) {
  console.error('dist/ is not what the source builds. Run `npm run build` and commit dist/:');
  console.error(status);
  console.error(execFileSync('git', ['diff', '--stat', '--', 'dist'], { cwd: root, encoding: 'utf8' }));
  process.exit(1);
}
console.log('dist/ matches the source.');
