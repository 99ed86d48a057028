import { stat } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, readTextFile, refusalText } from '@pipeline-toolkit/core';
import type { Check, CheckResult, CommandSpec } from '../model.ts';
import type { CheckContext } from './context.ts';

const ANY_EXIT_CODE = Array.from({ length: 256 }, (_, code) => code);

/** The largest JUnit report read: tens of thousands of testcases stay far below it. */
const MAX_JUNIT_BYTES = 64 * 1024 * 1024;

/**
 * Runs an existing test command (for example `pytest src/test_smoke.py -m critical --junitxml r.xml`)
 * and turns each testcase of the JUnit XML it writes into a result of this suite. The command runs
 * once: test runners have their own rerun options (pytest-rerunfailures), which this import
 * recognises as flaky.
 */
export async function runCommand(check: Check & { kind: 'command' }, ctx: CheckContext): Promise<CheckResult[]> {
  const spec: CommandSpec = check.command;
  const cwd = path.resolve(ctx.cwd, spec.cwd ?? '.');
  const reportPath = path.resolve(cwd, spec.junit);
  const started = Date.now();
  const base = { tags: check.tags, kind: 'junit' as const, attempts: 1, ...(check.where ? { where: check.where } : {}) };
  const [program, ...args] = spec.run as [string, ...string[]];
  let exitCode: number;
  let stderr: string;
  try {
    ({ exitCode, stderr } = await ctx.exec(program, args, { cwd, okExitCodes: ANY_EXIT_CODE }));
  } catch (error) {
    const message = errorMessage(error);
    return [{ ...base, name: check.name, status: 'failed', durationMs: Date.now() - started, message }];
  }
  const durationMs = Date.now() - started;
  const fresh = await stat(reportPath).then(
    (s) => s.mtimeMs >= started - 1000,
    () => false,
  );
  if (!fresh) {
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    const message = `'${program}' exited with code ${exitCode} and wrote no JUnit report at ${spec.junit}${tail ? `:\n${tail}` : ''}`;
    return [{ ...base, name: check.name, status: 'failed', durationMs, message }];
  }
  let report: string;
  try {
    report = await readTextFile(reportPath, MAX_JUNIT_BYTES, (refusal) => {
      throw new Error(`the JUnit report ${spec.junit} ${refusalText(refusal, 'a JUnit report')}`);
    });
  } catch (error) {
    return [{ ...base, name: check.name, status: 'failed', durationMs, message: errorMessage(error) }];
  }
  const cases = await parseJUnit(report);
  const results: CheckResult[] = cases.map((c) => ({ ...base, ...c, name: `${check.name} › ${c.name}` }));
  if (!results.length)
    results.push({ ...base, name: check.name, status: 'failed', durationMs, message: `${spec.junit} holds no testcase` });
  else if (exitCode !== 0 && !results.some((r) => r.status === 'failed')) {
    results.push({ ...base, name: check.name, status: 'failed', durationMs, message: `'${program}' exited with code ${exitCode}` });
  }
  return results;
}

type Case = Pick<CheckResult, 'name' | 'status' | 'durationMs' | 'message' | 'attempts'>;
type XmlNode = Record<string, unknown>;

const ARRAYS = new Set([
  'testsuite',
  'testcase',
  'failure',
  'error',
  'skipped',
  'rerunFailure',
  'rerunError',
  'flakyFailure',
  'flakyError',
]);

/** Reads JUnit XML (pytest, surefire, jest-junit …): one case per testcase, nested suites included. */
export async function parseJUnit(xml: string): Promise<Case[]> {
  const { XMLParser } = await import('fast-xml-parser');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    textNodeName: '#text',
    isArray: (name) => ARRAYS.has(name),
    processEntities: true,
  });
  const document = parser.parse(xml) as XmlNode;
  const cases: Case[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as XmlNode;
    for (const testcase of (record['testcase'] as XmlNode[] | undefined) ?? []) cases.push(toCase(testcase));
    walk(record['testsuites']);
    walk(record['testsuite']);
  };
  walk(document);
  return cases;
}

function toCase(testcase: XmlNode): Case {
  const name = [testcase['classname'], testcase['name']].filter(Boolean).join('.') || 'testcase';
  const durationMs = Math.round(Number(testcase['time'] ?? 0) * 1000) || 0;
  // `<skipped/>` parses as an empty string: presence, not truthiness, decides.
  const first = (key: string): { node: unknown } | undefined => {
    const list = testcase[key] as unknown[] | undefined;
    return list?.length ? { node: list[0] } : undefined;
  };
  const problem = first('failure') ?? first('error');
  if (problem) return { name, status: 'failed', durationMs, attempts: 1, message: describe(problem.node) || 'failed' };
  const skipped = first('skipped');
  if (skipped) return { name, status: 'skipped', durationMs, attempts: 1, message: describe(skipped.node) || 'skipped' };
  const reruns = ['rerunFailure', 'rerunError', 'flakyFailure', 'flakyError'].reduce(
    (n, k) => n + ((testcase[k] as unknown[] | undefined)?.length ?? 0),
    0,
  );
  if (reruns) return { name, status: 'flaky', durationMs, attempts: reruns + 1, message: `passed after ${reruns} rerun(s)` };
  return { name, status: 'passed', durationMs, attempts: 1 };
}

function describe(node: unknown): string {
  if (typeof node === 'string') return node.trim().split('\n')[0] ?? '';
  const record = node as XmlNode;
  const message = String(record['message'] ?? record['#text'] ?? '').trim();
  return message.split('\n')[0]?.slice(0, 300) ?? '';
}
