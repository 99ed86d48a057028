/** actions/cache, offline: restore from PTK_ACT_CACHE/<key> (or the newest entry of a restore-keys prefix). */
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const store = process.env['PTK_ACT_CACHE'];
const target = (process.env['INPUT_PATH'] ?? '').trim();
const key = (process.env['INPUT_KEY'] ?? '').trim();
const prefixes = (process.env['INPUT_RESTORE-KEYS'] ?? '')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const safe = (k: string) => k.replace(/[^\w.-]/g, '_');
let hit = false;
let restored = '';
if (store && existsSync(store)) {
  if (existsSync(path.join(store, safe(key)))) {
    restored = safe(key);
    hit = true;
  } else {
    for (const prefix of prefixes) {
      const found = readdirSync(store)
        .filter((e) => e.startsWith(safe(prefix)))
        .sort((a, b) => statSync(path.join(store, b)).mtimeMs - statSync(path.join(store, a)).mtimeMs)[0];
      if (found) {
        restored = found;
        break;
      }
    }
  }
  if (restored) {
    mkdirSync(target, { recursive: true });
    cpSync(path.join(store, restored), target, { recursive: true });
  }
}
console.log(restored ? `Cache restored from ${restored}${hit ? '' : ' (restore key)'}` : `Cache not found for ${key}`);
appendFileSync(process.env['GITHUB_OUTPUT']!, `cache-hit=${hit}\n`);
appendFileSync(process.env['GITHUB_STATE']!, `hit=${hit}\n`);
