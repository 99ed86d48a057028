import type { Finding } from './model.ts';
import { TextFile } from './text-file.ts';

/** Writes the normalised findings as a JSON array, one finding per line (already redacted by the Aggregator). */
export async function writeFindings(file: string, findings: readonly Finding[]): Promise<void> {
  const out = new TextFile(file);
  out.write('[\n');
  for (const [i, f] of findings.entries()) out.write(`${i ? ',\n' : ''}${JSON.stringify(f)}`);
  out.write('\n]\n');
  out.close();
}
