import { exists } from '../files.ts';
import type { Linter } from '../model.ts';

/** The project's memory bank (memory-bank/): checked in-process by the memory-bank package. */
export const memoryBank: Linter = {
  name: 'memory-bank',
  install: 'nothing to install: it is part of pipeline-toolkit',
  applies: async (ctx) => exists(ctx.cwd, 'memory-bank'),
  async run() {
    throw new Error('memory-bank lint is not available yet');
  },
};
