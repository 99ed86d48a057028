import type { Logger } from '@pipeline-toolkit/core';
import type { Gate } from './bluegreen/model.ts';

/**
 * The smoke suite as a deploy gate: the same suite runs against the preview before the switch and
 * against production after it. The smoke package loads only when a suite is configured.
 */
export async function smokeGate(config: string, log: Logger, cwd: string): Promise<Gate> {
  const smoke = await import('@pipeline-toolkit/smoke');
  const suite = await smoke.loadSuite({ config: config, cwd, env: process.env });
  return async ({ url, phase }) => {
    const result = await log.group(`Smoke gate (${phase}) against ${url}`, () =>
      smoke.runSuite(suite, { target: url, log, cwd, failFast: true }),
    );
    const failed = result.checks.filter((c) => c.status === 'failed');
    const { passed, total } = result.summary;
    return {
      passed: result.result === 'passed',
      summary: failed.length
        ? `${failed.length}/${total} checks failed: ${failed.map((c) => `${c.name} (${c.message ?? 'failed'})`).join('; ')}`
        : `${passed}/${total} checks passed`,
      markdown: smoke.summaryMarkdown(result, log.redactor),
    };
  };
}
