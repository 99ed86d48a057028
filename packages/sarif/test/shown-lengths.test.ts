import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { readScanInputs, runScan } from '../src/index.ts';

const LONG = 50_000;
const long = (start: string, filler: string) => `${start}${filler.repeat(LONG)}`;
const RULE = long('R', 'r');
const PATH = `${long('src/', 'p')}.js`;
const HELP = long('https://example.com/', 'h');
const TOOL = long('Scanner ', 'n');

/** One finding whose every text is 50,000 characters long, and one of ordinary length. */
function sarif(): unknown {
  const at = (uri: string) => [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 3 } } }];
  return {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL,
            rules: [
              { id: RULE, shortDescription: { text: long('T', 't') }, helpUri: HELP },
              { id: 'R2', shortDescription: { text: 'Short' }, helpUri: 'https://example.com/r2' },
            ],
          },
        },
        results: [
          { ruleId: RULE, level: 'error', message: { text: long('M', 'm') }, locations: at(PATH) },
          { ruleId: 'R2', level: 'error', message: { text: 'Found' }, locations: at('src/b.js') },
        ],
      },
    ],
  };
}

async function scanLong() {
  const dir = await mkdtemp(path.join(tmpdir(), 'shown-lengths-'));
  await writeFile(path.join(dir, 'long.sarif'), JSON.stringify(sarif()));
  const inputs = readScanInputs(new Inputs(mapInputs({ 'fail-on': 'none', 'sarif-files': 'long.sarif' })));
  const links = { serverUrl: 'https://github.com', repository: 'acme/app', sha: 'f'.repeat(40) };
  return runScan(inputs, { log: new MemoryLogger(), env: { RUNNER_TEMP: dir }, cwd: dir, links });
}

const longestLine = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('texts of any length, as the console, the job summary and the annotations show them', () => {
  it('are cut to their start, links only where GitHub can follow them; the SARIF and findings files keep them whole', async () => {
    const result = await scanLong();
    expect(result.counts.bySeverity.HIGH).toBe(2);

    // the summary: each cell cut at 200 characters, the rule unlinked (its helpUri is 50,000 characters)
    expect(result.summary.length).toBeLessThan(5_000);
    expect(result.summary).toContain(`| ${RULE.slice(0, 199)}… |`);
    expect(result.summary).toContain(`${PATH.slice(0, 199)}…`);
    expect(result.summary).toContain(`${TOOL.slice(0, 199)}…`);
    expect(result.summary).not.toContain('](https://example.com/hhh');
    expect(result.summary).not.toContain('/src/ppp');
    // the ordinary finding keeps its links
    expect(result.summary).toContain('[R2](https://example.com/r2)');
    expect(result.summary).toContain(`[src/b.js:3](https://github.com/acme/app/blob/${'f'.repeat(40)}/src/b.js#L3)`);

    // the console: one line per finding, each text cut
    expect(longestLine(result.console)).toBeLessThan(1_000);
    expect(result.console).toContain(`${RULE.slice(0, 199)}…  ${PATH.slice(0, 199)}…`);

    // annotations: GitHub's runner keeps 4,096 characters of a message, a check annotation's title 255
    const [first] = result.annotations;
    expect(first!.message).toHaveLength(4096);
    expect(first!.message.endsWith('…')).toBe(true);
    expect(first!.properties.title).toHaveLength(255);
    expect(first!.properties.title!.startsWith(`HIGH ${RULE.slice(0, 100)}`)).toBe(true);

    // the files identify the finding by its whole rule id and path
    const written = JSON.parse(await readFile(result.sarifFile, 'utf8')) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const long = written.runs[0]!.results.find((r) => r.ruleId.length > 100)!;
    expect(long.ruleId).toBe(RULE);
    expect(long.locations[0]!.physicalLocation.artifactLocation.uri).toBe(PATH);
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { rule: string }[];
    expect(findings.map((f) => f.rule)).toContain(RULE);
  });
});
