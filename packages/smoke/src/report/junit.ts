import type { Redactor } from '@pipeline-toolkit/core';
import type { CheckResult, SuiteResult } from '../model.ts';
import { location } from '../where.ts';

/** XML 1.0 cannot carry most control characters, even escaped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML with one testcase per check. Properties carry tags, url and attempts; a flaky pass is
 * a passing testcase with `flaky=true` and a note in system-out (as pytest-rerunfailures and
 * surefire report them), so CI test views keep it green but visible.
 */
export function junitReport(result: SuiteResult, redactor: Pick<Redactor, 'redact'>): string {
  const text = (value: string) => escapeXml(redactor.redact(value));
  const { summary } = result;
  const suiteName = `smoke ${result.environment}`;
  const cases = result.checks.map((check) => testcase(check, text));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="smoke" tests="${summary.total}" failures="${summary.failed}" skipped="${summary.skipped}" time="${seconds(summary.durationMs)}">`,
    `  <testsuite name="${text(suiteName)}" tests="${summary.total}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${seconds(summary.durationMs)}">`,
    '    <properties>',
    `      <property name="target" value="${text(result.target)}"/>`,
    `      <property name="environment" value="${text(result.environment)}"/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(check: CheckResult, text: (value: string) => string): string {
  const properties = [
    ['tags', check.tags.join(',')],
    ...(check.url ? [['url', check.url]] : []),
    ['attempts', String(check.attempts)],
    ...(check.latencyMs !== undefined ? [['latency-ms', String(check.latencyMs)]] : []),
    ...(check.budgetMs !== undefined ? [['latency-budget-ms', String(check.budgetMs)]] : []),
    ...(check.status === 'flaky' ? [['flaky', 'true']] : []),
  ];
  const lines = [
    `    <testcase name="${text(check.name)}" classname="smoke.${check.kind}" time="${seconds(check.durationMs)}"${fileAttributes(check.where, text)}>`,
    '      <properties>',
    ...properties.map(([name, value]) => `        <property name="${name}" value="${text(value ?? '')}"/>`),
    '      </properties>',
  ];
  const message = text(check.message ?? check.status);
  if (check.status === 'failed') lines.push(`      <failure message="${message}" type="SmokeCheckFailed">${message}</failure>`);
  if (check.status === 'skipped') lines.push(`      <skipped message="${message}"/>`);
  if (check.status === 'flaky') lines.push(`      <system-out>flaky: ${message}</system-out>`);
  lines.push('    </testcase>');
  return lines.join('\n');
}

/** `file` and `line` attributes (read by GitLab and other JUnit viewers) from `smoke.yml:12`. */
function fileAttributes(where: string | undefined, text: (value: string) => string): string {
  const { file, line } = location(where);
  return file ? ` file="${text(file)}" line="${line}"` : '';
}
