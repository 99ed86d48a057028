import { describe, it, expect } from '@jest/globals';
import { deploySummary, phaseTimeline, planText } from '../src/summary.ts';
import type { Outcome } from '../src/bluegreen/model.ts';
import { deployFailure } from '../src/step.ts';
import { ExternalError, GateError } from '@pipeline-toolkit/core';

const outcome: Outcome = {
  mode: 'full',
  result: 'rolled-back',
  liveColor: 'blue',
  previousColor: 'green',
  revision: 3,
  url: 'https://shop.example.com',
  error: 'Rolled back to blue: post-switch smoke failed on green: health (status 500)',
  failure: { kind: 'gate', phase: 'verify', message: 'Rolled back to blue: post-switch smoke failed on green: health (status 500)' },
  phases: [
    { name: 'preflight', startedAt: 1000, endedAt: 1040, outcome: 'ok', detail: 'live blue, target green' },
    { name: 'verify', startedAt: 2000, endedAt: 4500, outcome: 'ok' },
    { name: 'pre-switch gate', startedAt: 1500, endedAt: 1500, outcome: 'skipped', detail: 'no smoke suite configured' },
    { name: 'rollback', startedAt: 4520, endedAt: 4540, outcome: 'ok', detail: 'router back to blue' },
  ],
  gates: [
    {
      phase: 'post-switch',
      color: 'green',
      url: 'https://shop.example.com',
      passed: false,
      summary: '1/1 checks failed: health (status 500)',
      markdown: '| check | status |',
    },
  ],
  rollback: { reason: 'post-switch smoke failed on green', restored: true, details: ['router selects blue again', 'green scaled down'] },
};

describe('deploy summary', () => {
  it('draws the phases that ran as a mermaid gantt chart with their durations', () => {
    expect(phaseTimeline(outcome.phases)).toBe(
      [
        '```mermaid',
        'gantt',
        '  title Deploy phases',
        '  dateFormat x',
        '  axisFormat %M:%S',
        '  section deploy',
        '  preflight (40ms) :done, p0, 1000, 1040',
        '  verify (2.5s) :done, p1, 2000, 4500',
        '  rollback (20ms) :done, p2, 4520, 4540',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('shows the result, colours, gates and what was rolled back and why', () => {
    const text = deploySummary(outcome, 'web', 'shop');
    expect(text).toContain('## Deploy web (shop): rolled-back');
    expect(text).toContain('| Live colour | blue |');
    expect(text).toContain('| Previous colour | green |');
    expect(text).toContain('| post-switch | green | FAILED | 1/1 checks failed: health (status 500) |');
    expect(text).toContain('### Rolled back\n');
    expect(text).toContain('- router selects blue again\n- green scaled down');
    expect(text).toContain('**Why:** Rolled back to blue');
    expect(text).toContain('| Failed in | verify (gate) |');
    expect(text).toContain('| pre-switch gate | skipped | 0ms | no smoke suite configured |');
  });

  it('the step fails by the failure kind, never by its text', () => {
    const failed = (kind: 'gate' | 'error' | 'refused', message: string): Outcome => ({
      mode: 'full',
      result: 'failed',
      phases: [],
      gates: [],
      error: message,
      failure: { kind, phase: 'pre-switch gate', message },
    });
    // The same words, two kinds: only the kind decides.
    expect(deployFailure(failed('gate', 'Pre-switch smoke failed on green'))).toBeInstanceOf(GateError);
    expect(deployFailure(failed('error', 'Pre-switch smoke failed on green'))).toBeInstanceOf(ExternalError);
    expect(deployFailure(failed('refused', 'Preflight refused the deploy'))).toBeInstanceOf(ExternalError);
    expect(deployFailure({ ...outcome, failure: { kind: 'cancelled', phase: 'verify', message: 'cancelled' } })).toBeInstanceOf(GateError);
    expect(deployFailure({ mode: 'full', result: 'deployed', phases: [], gates: [] })).toBeUndefined();
  });

  it('prints a plan with the exact Helm argv, quoting what a shell would split', () => {
    expect(
      planText({
        lines: [['Live colour', 'green']],
        helm: ['helm', 'upgrade', 'web-blue', '--set', 'msg=hello world'],
        writes: [
          { what: 'patch Service shop/web (merge patch, one request)', body: { spec: { selector: null } } },
          { what: 'helm uninstall web-green (after the drain)', body: null },
        ],
      }),
    ).toBe(
      [
        'Live colour  green',
        '',
        'Helm command:',
        "  helm upgrade web-blue --set 'msg=hello world'",
        '',
        'Cluster writes, in order:',
        '1. patch Service shop/web (merge patch, one request)',
        '     {',
        '       "spec": {',
        '         "selector": null',
        '       }',
        '     }',
        '2. helm uninstall web-green (after the drain)',
      ].join('\n'),
    );
  });

  it('an idle colour recreated: the uninstall is the first of the Helm commands, in order', () => {
    const text = planText({
      lines: [['Recreate', 'web-blue takes no traffic and is uninstalled, then installed afresh: Deployment web-blue selects …']],
      helm: ['helm', 'upgrade', 'web-blue', './chart', '--install'],
      recreate: {
        argv: ['helm', 'uninstall', 'web-blue', '--namespace', 'shop', '--timeout', '300s'],
        reason: 'Deployment web-blue selects …',
      },
      writes: [],
    });
    expect(text.split('\n').slice(1, 5)).toEqual([
      '',
      'Helm commands, in order:',
      '  helm uninstall web-blue --namespace shop --timeout 300s',
      '  helm upgrade web-blue ./chart --install',
    ]);
  });
});
