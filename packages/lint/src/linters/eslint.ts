import path from 'node:path';
import { exists, findFiles, perContext, relativeTo } from '../files.ts';
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

const SCRIPT = /\.(?:[cm]?[jt]sx?)$/;
const scriptFiles = perContext((ctx: LintContext) => findFiles(ctx.cwd, (n) => SCRIPT.test(n)));

/** ESLint's warning for a file named on the command line that its config ignores: not a finding. */
const IGNORED = /^File ignored\b/;

/**
 * JavaScript/TypeScript: the project's own ESLint (node_modules/.bin/eslint), when the project
 * configures it. Given files, it lints those; in fix mode it runs with `--fix` and reports what is left.
 */
export const eslint: Linter = {
  name: 'eslint',
  tool: 'ESLint',
  homepage: 'https://eslint.org/',
  program: eslintBin,
  install: "add eslint to the project's devDependencies and run 'npm ci' before this step",
  files: scriptFiles,
  applies: async (ctx) => exists(ctx.cwd, ...CONFIGS),
  async run(ctx, files) {
    const args = ['--format', 'json', ...(ctx.fix ? ['--fix'] : []), ...(files ? ['--', ...files] : ['.'])];
    const { stdout } = await ctx.exec(eslintBin(ctx), args, { cwd: ctx.cwd, okExitCodes: [0, 1], logger: ctx.log });
    return (JSON.parse(stdout || '[]') as EslintFile[]).flatMap((file) =>
      file.messages
        .filter((m) => m.ruleId !== null || !IGNORED.test(m.message))
        .map((m) => ({
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
