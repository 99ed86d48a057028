/** actions/cache's post step, offline: saves the path under its key in PTK_ACT_CACHE unless the key was hit. */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const store = process.env['PTK_ACT_CACHE'];
const target = (process.env['INPUT_PATH'] ?? '').trim();
const key = (process.env['INPUT_KEY'] ?? '').trim().replace(/[^\w.-]/g, '_');
if (process.env['STATE_hit'] === 'true') console.log(`Cache hit on ${key}: not saved again`);
else if (store && existsSync(target)) {
  mkdirSync(store, { recursive: true });
  cpSync(target, path.join(store, key), { recursive: true });
  console.log(`Cache saved: ${key}`);
} else console.log(`Nothing to save for ${key}`);
