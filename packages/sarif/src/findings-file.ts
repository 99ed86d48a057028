import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Finding } from './model.ts';

/** Writes the normalised findings as a JSON array, one finding per line (already redacted by the Aggregator). */
export async function writeFindings(file: string, findings: readonly Finding[]): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const out = createWriteStream(file);
  let batch = '[\n';
  for (const [i, f] of findings.entries()) {
    batch += `${i ? ',\n' : ''}${JSON.stringify(f)}`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(`${batch}\n]\n`);
  await once(out, 'finish');
}
