import path from 'node:path';
import { exists, filesUnder, onFiles, relativeTo } from '../files.ts';
import type { Linter } from '../model.ts';

/**
 * The project's memory bank (memory-bank/): checked in-process by the memory-bank package, always
 * whole (its index ties the files together); given files, the findings on those are kept.
 */
export const memoryBank: Linter = {
  name: 'memory-bank',
  tool: 'pipeline-toolkit memory-bank lint',
  files: (ctx) => filesUnder(ctx.cwd, exists(ctx.cwd, 'memory-bank') ? ['memory-bank'] : []),
  install: 'nothing to install: it is part of pipeline-toolkit',
  applies: async (ctx) => exists(ctx.cwd, 'memory-bank'),
  async run(ctx, files) {
    const { readBank, lintBank } = await import('@pipeline-toolkit/memory-bank');
    const problems = lintBank(await readBank(path.join(ctx.cwd, 'memory-bank')));
    const findings = problems.map((p) => ({
      linter: 'memory-bank' as const,
      severity: 'error' as const,
      file: relativeTo(ctx.root, ctx.cwd, p.file),
      line: p.line,
      rule: p.rule,
      message: p.message,
    }));
    return onFiles(ctx, findings, files);
  },
};
