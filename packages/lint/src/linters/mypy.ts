import { InputError, readRepositoryText, refusalText } from '@pipeline-toolkit/core';
import { exists, findFiles, onFiles, perContext, relativeTo } from '../files.ts';
import type { LintContext, LintFinding, Linter } from '../model.ts';

/** One line of `mypy --output json`; columns count from 0, the end column is exclusive. */
interface MypyMessage {
  file: string;
  line: number;
  column: number;
  end_line?: number | null;
  end_column?: number | null;
  message: string;
  hint?: string | null;
  code?: string | null;
  severity: 'error' | 'note' | 'warning';
}

/** Whether the repository's configuration file `name` holds `text` (a regular file inside the repository, up to 16 MB). */
async function contains(cwd: string, name: string, text: string): Promise<boolean> {
  const content = await readRepositoryText(cwd, name, 16 * 1024 * 1024, (refusal) => {
    throw new InputError('working-directory', `The repository's ${name} ${refusalText(refusal, 'a configuration file')}.`);
  });
  return content?.includes(text) ?? false;
}

/** The project configures mypy: mypy.ini, .mypy.ini, [tool.mypy] in pyproject.toml or [mypy] in setup.cfg. */
const configured = perContext(
  async (ctx: LintContext) =>
    exists(ctx.cwd, 'mypy.ini', '.mypy.ini') ||
    (await contains(ctx.cwd, 'pyproject.toml', '[tool.mypy]')) ||
    (await contains(ctx.cwd, 'setup.cfg', '[mypy]')),
);

const pythonFiles = perContext((ctx: LintContext) => findFiles(ctx.cwd, (n) => n.endsWith('.py') || n.endsWith('.pyi')));

function toFindings(ctx: LintContext, stdout: string): LintFinding[] {
  const messages = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as MypyMessage);
  return messages
    .filter((m) => m.severity !== 'note')
    .map((m) => ({
      linter: 'mypy' as const,
      severity: m.severity === 'error' ? ('error' as const) : ('warning' as const),
      file: relativeTo(ctx.root, ctx.cwd, m.file),
      line: m.line,
      column: m.column + 1,
      ...(m.end_line ? { endLine: m.end_line } : {}),
      ...(m.end_column !== undefined && m.end_column !== null ? { endColumn: m.end_column + 1 } : {}),
      ...(m.code ? { rule: m.code } : {}),
      message: m.hint ? `${m.message} (${m.hint})` : m.message,
    }));
}

/**
 * Python types: mypy, when the project configures it (an unconfigured codebase is rarely typed).
 * Exit 1 means findings; 2 means mypy could not check. Given files, mypy checks those (following
 * their imports, as it must) and the findings on them are kept.
 */
export const mypy: Linter = {
  name: 'mypy',
  tool: 'mypy',
  homepage: 'https://mypy-lang.org/',
  program: () => 'mypy',
  install: "pip install mypy (with the project's dependencies, so that imports resolve)",
  files: pythonFiles,
  applies: async (ctx) => (await configured(ctx)) && (await pythonFiles(ctx)).length > 0,
  async run(ctx, files) {
    const args = ['--output', 'json', '--no-error-summary', '--no-pretty', '--', ...(files ?? ['.'])];
    const result = await ctx.exec('mypy', args, { cwd: ctx.cwd, okExitCodes: [0, 1], logger: ctx.log });
    return onFiles(ctx, toFindings(ctx, result.stdout), files);
  },
};
