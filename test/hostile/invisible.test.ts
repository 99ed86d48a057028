import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ActionsLogger,
  Inputs,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  mapInputs,
  runAction,
  type ActionContext,
} from '@pipeline-toolkit/core';
import { run as scan } from '../../actions/security-scan/src/main.ts';
import { run as notify } from '../../actions/slack-notify/src/main.ts';

/**
 * Text from a report, a branch or a job name carrying characters that act or hide: C0 and C1
 * controls, bidi embeddings, overrides, isolates and marks, zero-width characters, a BOM, a line
 * separator and tag characters (hidden ASCII). None of them may reach the SARIF, the findings file,
 * the job summary, an annotation or a Slack message: each is shown as an escape (`\u202e`).
 */
const HIDDEN =
  'a\u0007b\u001b[31mc\u0085d\u009be\u202af\u202eg\u2066h\u2069i\u200bj\u200ck\u200dl\u200em\u2060n\ufeffo\u2028p\u{E0041}\u{E0042}q';
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/u;
/** The visible escape of U+202E. */
const SHOWN = /\\u202e/;

/** The first hidden character found, as `U+202E`. */
const codePoint = (match: RegExpExecArray | null) => (match ? `U+${match[0].codePointAt(0)!.toString(16).toUpperCase()}` : undefined);

/** Every string inside a parsed JSON document, one per line (JSON's own escapes undone). */
function allStrings(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(allStrings).join('\n');
  if (value && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}\n${allStrings(v)}`)
      .join('\n');
  return '';
}

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'ptk-invisible-'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

function context(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const summary = new MemorySummary();
  const outputs = new MemoryOutputs();
  const ctx: ActionContext = {
    inputs: new Inputs(mapInputs(inputs)),
    log: new ActionsLogger({ write: (line) => lines.push(line) }),
    outputs,
    state: new MemoryState(),
    summary,
    env: { GITHUB_WORKSPACE: workspace, GITHUB_ACTIONS: 'true', PATH: '', ...env },
  };
  return { ctx, lines, summary, outputs };
}

describe('control, bidi and zero-width characters from untrusted text', () => {
  it('security-scan: none in the SARIF, the findings file, the summary or the annotations', async () => {
    const report = {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: `tool ${HIDDEN}`,
              version: `1${HIDDEN}`,
              rules: [{ id: `rule-${HIDDEN}`, shortDescription: { text: `title ${HIDDEN}` } }],
            },
          },
          results: [
            {
              ruleId: `rule-${HIDDEN}`,
              level: 'error',
              message: { text: `message ${HIDDEN}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: `src/${HIDDEN}.py` }, region: { startLine: 3 } } }],
            },
          ],
        },
      ],
    };
    await writeFile(path.join(workspace, 'hostile.sarif'), JSON.stringify(report));
    const { ctx, lines, summary, outputs } = context({ 'sarif-files': 'hostile.sarif', 'fail-on': 'none', 'output-sarif': 'out.sarif' });
    expect(await runAction((c) => scan(c), ctx)).toBe(0);
    const sarif = await readFile(path.join(workspace, 'out.sarif'), 'utf8');
    const findings = await readFile(String(outputs.values['findings-file']), 'utf8');
    const texts = {
      sarif: allStrings(JSON.parse(sarif)),
      findings: allStrings(JSON.parse(findings)),
      summary: summary.text,
      log: lines.join('\n'),
    };
    for (const [where, text] of Object.entries(texts))
      expect({ where, hidden: codePoint(INVISIBLE.exec(text)) }).toEqual({ where, hidden: undefined });
    expect(texts.sarif).toMatch(SHOWN);
    expect(summary.text).toMatch(SHOWN);
    expect(lines.some((l) => l.startsWith('::error ') && SHOWN.test(l))).toBe(true);
  });

  it('slack-notify: none in the Slack message, the payload output or the summary', async () => {
    const { ctx, summary, outputs } = context(
      {
        'webhook-url': 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX',
        status: 'failure',
        title: `Release ${HIDDEN}`,
        needs: JSON.stringify({ [`build ${HIDDEN}`]: { result: 'failure' } }),
        'dry-run': 'true',
      },
      { GITHUB_REF_NAME: `feature/${HIDDEN}`, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '1', GITHUB_SERVER_URL: 'https://github.com' },
    );
    expect(await runAction((c) => notify(c), ctx)).toBe(0);
    const payload = String(outputs.values['payload']);
    // Slack's own neutralising of @channel inserts U+200B after the sigil: the text here has no mention.
    expect({
      payload: codePoint(INVISIBLE.exec(allStrings(JSON.parse(payload)))),
      summary: codePoint(INVISIBLE.exec(summary.text)),
    }).toEqual({
      payload: undefined,
      summary: undefined,
    });
    expect(allStrings(JSON.parse(payload))).toMatch(SHOWN);
  });
});
