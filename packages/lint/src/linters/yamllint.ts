import path from 'node:path';
import { exists, findFiles, perContext, relativeTo } from '../files.ts';
import type { LintContext, LintFinding, Linter } from '../model.ts';

/** `file:line:column: [level] message (rule)`: yamllint's `parsable` format (a syntax error has the rule `syntax`). */
const LINE = /^(.+?):(\d+):(\d+): \[(error|warning)\] (.*?)(?: \(([\w-]+)\))?$/;

const CONFIGS = ['.yamllint', '.yamllint.yaml', '.yamllint.yml'];

/** Without a config of the project's: yamllint's relaxed preset, line length left to the project. */
export const DEFAULT_YAMLLINT_CONFIG = '{extends: relaxed, rules: {line-length: disable}}';

/** YAML files, less Helm templates (Go templates, not YAML: helm lint checks them). */
const yamlFiles = perContext(async (ctx: LintContext): Promise<string[]> => {
  const found = await findFiles(ctx.cwd, (n) => /\.ya?ml$/.test(n) || n === 'Chart.yaml');
  const templates = found.filter((f) => path.posix.basename(f) === 'Chart.yaml').map((f) => `${path.posix.dirname(f)}/templates/`);
  return found.filter((f) => !templates.some((t) => f.startsWith(t) || (t.startsWith('./') && f.startsWith(t.slice(2)))));
});

export function parseYamllint(ctx: LintContext, output: string): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const line of output.split('\n')) {
    const match = LINE.exec(line.trim());
    if (!match) continue;
    const [, file, row, column, level, message, rule] = match as unknown as [string, string, string, string, string, string, string?];
    findings.push({
      linter: 'yamllint',
      severity: level === 'error' ? 'error' : 'warning',
      file: relativeTo(ctx.root, ctx.cwd, file),
      line: Number(row),
      column: Number(column),
      ...(rule ? { rule } : {}),
      message,
    });
  }
  return findings;
}

/**
 * YAML: yamllint with the project's config (.yamllint*), else the relaxed preset without the line
 * length rule. Exit 1 means error findings, not failure.
 */
export const yamllint: Linter = {
  name: 'yamllint',
  tool: 'yamllint',
  homepage: 'https://yamllint.readthedocs.io/',
  program: () => 'yamllint',
  install: 'pip install yamllint',
  files: yamlFiles,
  applies: async (ctx) => (await yamlFiles(ctx)).length > 0,
  async run(ctx, only) {
    const files = only ?? (await yamlFiles(ctx));
    const configured = exists(ctx.cwd, ...CONFIGS) || !!ctx.env['YAMLLINT_CONFIG_FILE'];
    const args = ['--format', 'parsable', ...(configured ? [] : ['--config-data', DEFAULT_YAMLLINT_CONFIG]), '--', ...files];
    const result = await ctx.exec('yamllint', args, { cwd: ctx.cwd, okExitCodes: [0, 1], logger: ctx.log });
    return parseYamllint(ctx, result.stdout);
  },
};
