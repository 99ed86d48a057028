import { expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, requireTool } from '@pipeline-toolkit/testing';

/**
 * The default Semgrep rules bundled with security-scan match exactly the lines their test file marks
 * `# ruleid:` and none marked `# ok:` (Semgrep's own rule test mode, with the pinned Semgrep).
 */
it('the bundled Semgrep rules pass their test cases', () => {
  const semgrep = requireTool('semgrep').path;
  const out = execFileSync(
    semgrep,
    [
      '--test',
      '--metrics',
      'off',
      '--disable-version-check',
      '--config',
      path.join(repoRoot, 'actions/security-scan/scanners/semgrep-rules/python.yml'),
      path.join(repoRoot, 'test/fixtures/semgrep-rules/python.py'),
    ],
    { encoding: 'utf8', env: { ...process.env, SEMGREP_SEND_METRICS: 'off', SEMGREP_ENABLE_VERSION_CHECK: '0' }, timeout: 300_000 },
  );
  expect(out).toContain('6/6: ✓ All tests passed');
}, 320_000);
