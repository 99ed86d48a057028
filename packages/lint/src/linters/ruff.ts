import { exists, findFiles, relativeTo } from '../files.ts';
import type { LintContext, LintFinding, Linter } from '../model.ts';

interface RuffMessage {
  code: string | null;
  message: string;
  filename: string;
  location: { row: number; column: number } | null;
  end_location: { row: number; column: number } | null;
}

function toFindings(ctx: LintContext, stdout: string): LintFinding[] {
  const messages = JSON.parse(stdout || '[]') as RuffMessage[];
  return messages.map((m) => ({
    linter: 'ruff',
    severity: 'error',
    file: relativeTo(ctx.root, ctx.cwd, m.filename),
    line: m.location?.row,
    column: m.location?.column,
    endLine: m.end_location?.row,
    endColumn: m.end_location?.column,
    rule: m.code ?? undefined,
    message: m.code === 'unformatted' ? 'File would be reformatted by `ruff format`' : m.message,
  }));
}

/** Python: `ruff check` and `ruff format --check`, both read as JSON. Exit 1 means findings, not failure. */
export const ruff: Linter = {
  name: 'ruff',
  program: () => 'ruff',
  install: "pip install ruff (or add it to your requirements; with uv: 'uv tool install ruff')",
  applies: async (ctx) =>
    exists(ctx.cwd, 'pyproject.toml', 'ruff.toml', '.ruff.toml', 'setup.py', 'requirements.txt') ||
    (await findFiles(ctx.cwd, (n) => n.endsWith('.py'), 1)).length > 0,
  async run(ctx) {
    const options = { cwd: ctx.cwd, okExitCodes: [0, 1], logger: ctx.log };
    const check = await ctx.exec('ruff', ['check', '--output-format', 'json', '--no-fix', '.'], options);
    const format = await ctx.exec('ruff', ['format', '--check', '--output-format', 'json', '.'], options);
    return [...toFindings(ctx, check.stdout), ...toFindings(ctx, format.stdout)];
  },
};
