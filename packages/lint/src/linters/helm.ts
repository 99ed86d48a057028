import path from 'node:path';
import { filesUnder, findFiles, perContext, relativeTo } from '../files.ts';
import type { LintContext, LintFinding, Linter } from '../model.ts';

const LINE = /^\[(ERROR|WARNING)\] ([^:]+): (.*)$/;
const LINE_NUMBER = /\bline (\d+)\b/;

/** Folders holding a Chart.yaml; found once per context. */
const charts = perContext(
  async (ctx: LintContext): Promise<string[]> => (await findFiles(ctx.cwd, (n) => n === 'Chart.yaml')).map((f) => path.posix.dirname(f)),
);

/** Parses `helm lint` text output (`[ERROR] templates/x.yaml: message`); paths are relative to the chart. */
export function parseHelmLint(ctx: LintContext, chart: string, output: string): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const line of output.split('\n')) {
    const match = LINE.exec(line.trim());
    if (!match) continue;
    const [, level, where, message] = match as unknown as [string, string, string, string];
    const file = where.endsWith('/') ? path.posix.join(chart, where, '') : path.posix.join(chart, where);
    const lineNumber = LINE_NUMBER.exec(message)?.[1];
    findings.push({
      linter: 'helm',
      severity: level === 'ERROR' ? 'error' : 'warning',
      file: relativeTo(ctx.root, ctx.cwd, file.replace(/\/$/, '')),
      line: lineNumber ? Number(lineNumber) : undefined,
      message,
    });
  }
  return findings;
}

/**
 * Helm charts: `helm lint` on every folder with a Chart.yaml. A chart is linted whole (a changed
 * values file can break any template): given files, it lints the charts that hold one of them.
 */
export const helm: Linter = {
  name: 'helm',
  tool: 'Helm lint',
  homepage: 'https://helm.sh/docs/helm/helm_lint/',
  files: async (ctx) => filesUnder(ctx.cwd, await charts(ctx)),
  program: () => 'helm',
  install: 'install Helm (https://helm.sh/docs/intro/install/), e.g. with azure/setup-helm',
  applies: async (ctx) => (await charts(ctx)).length > 0,
  async run(ctx, files) {
    const findings: LintFinding[] = [];
    const touched = (chart: string) => !files || files.some((f) => chart === '.' || f.startsWith(`${chart}/`));
    for (const chart of (await charts(ctx)).filter(touched)) {
      const result = await ctx.exec('helm', ['lint', chart], { cwd: ctx.cwd, okExitCodes: [0, 1], logger: ctx.log });
      const parsed = parseHelmLint(ctx, chart, `${result.stdout}\n${result.stderr}`);
      if (result.exitCode !== 0 && !parsed.some((f) => f.severity === 'error')) {
        const reason = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' ');
        parsed.push({
          linter: 'helm',
          severity: 'error',
          file: relativeTo(ctx.root, ctx.cwd, chart),
          message: reason || 'helm lint failed',
        });
      }
      findings.push(...parsed);
    }
    return findings;
  },
};
