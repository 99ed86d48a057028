import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TextFile } from '../src/text-file.ts';

describe('TextFile', () => {
  it('refuses a named pipe at its name at once, with or without a reader (opened to write, it would wait for one)', async () => {
    const pipe = path.join(await mkdtemp(path.join(tmpdir(), 'text-file-')), 'out.sarif');
    execFileSync('mkfifo', [pipe]);
    expect(() => new TextFile(pipe)).toThrow(`${pipe} is a named pipe; only a regular file is written.`);
    expect(() => new TextFile('/dev/null')).toThrow('/dev/null is a character device; only a regular file is written.');
  });

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

  it('writes entries between separators in order, whether a separator or the entry meets the end of its buffer, an entry is larger than it or empty', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'text-file-')), 'entries.json');
    const entries: string[] = [];
    // 1 MB of buffer is filled at every offset modulo the entries' lengths, multi-byte ones included
    for (let i = 0; i < 40_000; i++) entries.push(JSON.stringify({ i, text: 'é€😀'.repeat(i % 13) }));
    // empty entries: their separators alone fill the buffer
    entries.push('x'.repeat(3 << 20));
    for (let i = 0; i < 600_000; i++) entries.push('');
    entries.push('"short"');
    const out = new TextFile(file);
    entries.forEach((entry, i) => out.writeBetween(i ? ',\n' : '[\n', entry, i === entries.length - 1 ? '\n]' : ''));
    expect(out.position).toBe(Buffer.byteLength(`[\n${entries.join(',\n')}\n]`));
    out.close();
    expect(await readFile(file, 'utf8')).toBe(`[\n${entries.join(',\n')}\n]`);
  });
});
