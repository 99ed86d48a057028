import { exists, findFiles, perContext, relativeTo } from '../files.ts';
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

const pythonFiles = perContext((ctx: LintContext) => findFiles(ctx.cwd, (n) => n.endsWith('.py') || n.endsWith('.pyi')));

/**
 * Python: `ruff check` and `ruff format --check`, both read as JSON. Exit 1 means findings, not
 * failure. Given files, it checks those (`--force-exclude` keeps the project's excludes); in fix
 * mode it applies `ruff check --fix` and `ruff format`, and reports what is left.
 */
export const ruff: Linter = {
  name: 'ruff',
  tool: 'Ruff',
  homepage: 'https://docs.astral.sh/ruff/',
  program: () => 'ruff',
  install: "pip install ruff (or add it to your requirements; with uv: 'uv tool install ruff')",
  files: pythonFiles,
  applies: async (ctx) =>
    exists(ctx.cwd, 'pyproject.toml', 'ruff.toml', '.ruff.toml', 'setup.py', 'requirements.txt') ||
    (await findFiles(ctx.cwd, (n) => n.endsWith('.py'), 1)).length > 0,
  async run(ctx, files) {
    const options = { cwd: ctx.cwd, okExitCodes: [0, 1], logger: ctx.log };
    const targets = files ? ['--force-exclude', '--', ...files] : ['.'];
    const check = await ctx.exec('ruff', ['check', '--output-format', 'json', ctx.fix ? '--fix' : '--no-fix', ...targets], options);
    if (ctx.fix) {
      await ctx.exec('ruff', ['format', ...targets], options);
      return toFindings(ctx, check.stdout);
    }
    const format = await ctx.exec('ruff', ['format', '--check', '--output-format', 'json', ...targets], options);
    return [...toFindings(ctx, check.stdout), ...toFindings(ctx, format.stdout)];
  },
};
