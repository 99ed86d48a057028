import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TextFile } from '../src/text-file.ts';

describe('TextFile', () => {
  it('writes many small pieces, multi-byte characters across buffer boundaries and pieces larger than its buffer, in order', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'text-file-')), 'nested', 'out.txt');
    const pieces: string[] = [];
    for (let i = 0; i < 60_000; i++) pieces.push(`${i}:é€😀,`);
    pieces.push('x'.repeat(3 << 20), '末尾'.repeat(400_000), 'end\n');
    const out = new TextFile(file);
    for (const piece of pieces) out.write(piece);
    out.write('');
    out.close();
    expect(await readFile(file, 'utf8')).toBe(pieces.join(''));
  });
});
