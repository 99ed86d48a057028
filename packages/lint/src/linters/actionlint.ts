import { findFiles, perContext, relativeTo } from '../files.ts';
import type { LintContext, Linter } from '../model.ts';

interface ActionlintError {
  message: string;
  filepath: string;
  line: number;
  column: number;
  end_column?: number;
  kind: string;
}

/** Workflow files GitHub runs (.github/workflows) and starter workflows kept in workflows/; found once per context. */
const workflowFiles = perContext(async (ctx: LintContext): Promise<string[]> => {
  const yaml = (n: string) => /\.ya?ml$/.test(n);
  const files = await findFiles(ctx.cwd, yaml);
  return files.filter((f) => f.startsWith('.github/workflows/') || f.startsWith('workflows/'));
});

/** GitHub Actions workflows: actionlint, files passed explicitly (no git repository needed). */
export const actionlint: Linter = {
  name: 'actionlint',
  tool: 'actionlint',
  homepage: 'https://github.com/rhysd/actionlint',
  files: workflowFiles,
  program: () => 'actionlint',
  install: "go install github.com/rhysd/actionlint/cmd/actionlint@latest, or use the download script from actionlint's documentation",
  applies: async (ctx) => (await workflowFiles(ctx)).length > 0,
  async run(ctx, only) {
    const files = only ?? (await workflowFiles(ctx));
    const { stdout } = await ctx.exec('actionlint', ['-format', '{{json .}}', ...files], {
      cwd: ctx.cwd,
      okExitCodes: [0, 1],
      logger: ctx.log,
    });
    return (JSON.parse(stdout.trim() || '[]') as ActionlintError[]).map((e) => ({
      linter: 'actionlint',
      severity: 'error',
      file: relativeTo(ctx.root, ctx.cwd, e.filepath),
      line: e.line,
      column: e.column,
      endColumn: e.end_column,
      rule: e.kind,
      message: e.message,
    }));
  },
};
