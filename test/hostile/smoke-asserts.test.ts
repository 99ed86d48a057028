import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ActionsLogger,
  Inputs,
  MemoryLogger,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  mapInputs,
  runAction,
  type ActionContext,
} from '@pipeline-toolkit/core';
import { loadSuite, runSuite } from '@pipeline-toolkit/smoke';
import { run } from '../../actions/smoke-test/src/main.ts';

const MB = 1024 * 1024;
let dir: string;
let server: Server;
let base: string;
let streamed = 0;
/** Random so that finding it in a report can only mean it leaked. */
const secretPart = `tok-${randomBytes(12).toString('hex')}`;
/** A token that tries to become workflow commands and terminal escapes when printed. */
const HOSTILE_TOKEN = `\u001b[31m${secretPart}\n::set-output name=x::y\n::error title=x::owned\u0007`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-smoke-hostile-'));
  server = createServer((req, res) => {
    if (req.url === '/huge') {
      // 64 MB of text, written as fast as the client reads it.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(MB, 'a');
      let sent = 0;
      const write = () => {
        while (sent < 64) {
          sent++;
          streamed += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('close', () => undefined);
      write();
      return;
    }
    if (req.url === '/aaaa') {
      res.end(`${'a'.repeat(2 * MB)}!`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: HOSTILE_TOKEN, echo: HOSTILE_TOKEN }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function runFile(yaml: string) {
  await writeFile(path.join(dir, 'smoke.yml'), yaml);
  const suite = await loadSuite({ config: 'smoke.yml', env: {}, cwd: dir });
  return runSuite(suite, { target: base, log: new MemoryLogger() });
}

describe('smoke asserts on hostile answers and suites', () => {
  it('stops reading a huge body at the read bound instead of matching 64 MB', async () => {
    streamed = 0;
    const result = await runFile(
      "defaults: { retries: 0 }\nchecks:\n  - name: huge\n    http: { path: /huge, expect: { body-matches: 'needle' } }\n",
    );
    expect(result.checks[0]).toMatchObject({
      status: 'failed',
      message: 'body is over 10.0 MB, the most a check reads; set expect.max-size to allow more',
    });
    // The server wrote (into socket buffers) far less than the 64 MB it had to send.
    expect(streamed).toBeLessThan(64 * MB);
  });

  it('runs a catastrophic-backtracking pattern in linear time: (a+)+$ on 2 MB of a then !', async () => {
    const result = await runFile(
      "defaults: { retries: 0 }\nchecks:\n  - name: redos\n    http: { path: /aaaa, expect: { body-matches: '^(a+)+$' } }\n",
    );
    // It ends (a backtracking engine would not, in any test's lifetime), with the right answer: no match.
    expect(result.checks[0]).toMatchObject({ status: 'failed', message: 'body does not match /^(a+)+$/' });
  });

  it('refuses patterns that need backtracking (backreferences, lookaround) when the suite loads', async () => {
    for (const pattern of ['(a*)*\\1', '(?=a)a', '(?<!b)a']) {
      await writeFile(path.join(dir, 'smoke.yml'), `checks:\n  - name: p\n    http: { path: /, expect: { body-matches: '${pattern}' } }\n`);
      await expect(loadSuite({ config: 'smoke.yml', env: {}, cwd: dir })).rejects.toThrow(
        "smoke.yml:3: check 'p' http.expect.body-matches:",
      );
    }
  });

  it('a captured value with workflow commands and control characters never becomes a command and is in no report', async () => {
    await writeFile(
      path.join(dir, 'smoke.yml'),
      `defaults: { retries: 0 }
checks:
  - name: login
    http: { path: /login, capture: { token: $.token } }
  - name: header use
    http: { path: /api, headers: { Authorization: 'Bearer \${captures.token}' } }
  - name: path use
    http: { path: '/items/\${captures.token}', expect: { jsonpath: { $.echo: { equals: nope } } } }
`,
    );
    const lines: string[] = [];
    const summary = new MemorySummary();
    const ctx: ActionContext = {
      inputs: new Inputs(mapInputs({ config: 'smoke.yml', target: base, 'json-file': 'r.json', 'junit-file': 'r.xml' })),
      log: new ActionsLogger({ write: (line) => lines.push(line) }),
      outputs: new MemoryOutputs(),
      state: new MemoryState(),
      summary,
      env: { GITHUB_WORKSPACE: dir, PATH: '' },
    };
    await runAction((c) => run(c), ctx);
    process.exitCode = 0;
    const report = await readFile(path.join(dir, 'r.json'), 'utf8');
    const junit = await readFile(path.join(dir, 'r.xml'), 'utf8');
    const checks = (JSON.parse(report) as { checks: { name: string; status: string; message?: string }[] }).checks;
    expect(checks.map((c) => `${c.name}:${c.status}`)).toEqual(['login:passed', 'header use:failed', 'path use:failed']);
    expect(checks[1]?.message).toBe("captured value 'token' contains control characters and cannot be sent in the Authorization header");

    // Only our own commands, whole on their lines: add-mask for the captured value, groups, and errors.
    const commands = lines.flatMap((l) => l.split(/\r\n|\r|\n/)).filter((l) => l.trimStart().startsWith('::') || l.startsWith('##['));
    expect(commands.filter((l) => !/^::(error|warning|notice|debug|add-mask|group|endgroup)( [^:]*)?::/.test(l))).toEqual([]);
    expect(commands.filter((l) => /^::(set-output|error title=x::owned)/.test(l))).toEqual([]);
    const shown = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
    // eslint-disable-next-line no-control-regex
    expect(shown).not.toMatch(/[\u0000-\u0008\u001b\u007f]/);
    for (const [name, text] of Object.entries({ log: shown, report, junit, summary: summary.text })) {
      expect({ name, leaked: text.includes(secretPart) }).toEqual({ name, leaked: false });
    }
  });
});
