import path from 'node:path';
import { exists, relativeTo } from '../files.ts';
import type { LintContext, Linter } from '../model.ts';

interface EslintFile {
  filePath: string;
  messages: {
    ruleId: string | null;
    severity: 1 | 2;
    message: string;
    line?: number;
    column?: number;
    endLine?: number;
    endColumn?: number;
  }[];
}

const CONFIGS = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  '.eslintrc.js',
  '.eslintrc.cjs',
  '.eslintrc.json',
  '.eslintrc.yml',
  '.eslintrc.yaml',
  '.eslintrc',
];

/** The project's own ESLint: node_modules/.bin/eslint in the linted directory. */
const eslintBin = (ctx: LintContext) => path.join(ctx.cwd, 'node_modules', '.bin', 'eslint');

/** JavaScript/TypeScript: the project's own ESLint (node_modules/.bin/eslint), when the project configures it. */
export const eslint: Linter = {
  name: 'eslint',
  program: eslintBin,
  install: "add eslint to the project's devDependencies and run 'npm ci' before this step",
  applies: async (ctx) => exists(ctx.cwd, ...CONFIGS),
  async run(ctx) {
    const { stdout } = await ctx.exec(eslintBin(ctx), ['--format', 'json', '.'], { cwd: ctx.cwd, okExitCodes: [0, 1], logger: ctx.log });
    return (JSON.parse(stdout || '[]') as EslintFile[]).flatMap((file) =>
      file.messages.map((m) => ({
        linter: 'eslint' as const,
        severity: m.severity === 2 ? ('error' as const) : ('warning' as const),
        file: relativeTo(ctx.root, ctx.cwd, file.filePath),
        line: m.line,
        column: m.column,
        endLine: m.endLine,
        endColumn: m.endColumn,
        rule: m.ruleId ?? undefined,
        message: m.message,
      })),
    );
  },
};
