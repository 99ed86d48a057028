import path from 'node:path';
import { writeFileInside, type Redactor } from '@pipeline-toolkit/core';
import type { SuiteResult } from '../model.ts';
import { jsonReport } from './json.ts';
import { junitReport } from './junit.ts';

/** Writes the JSON result and the JUnit XML where asked; returns the absolute paths written. */
export async function writeReports(
  result: SuiteResult,
  files: { json?: string; junit?: string; cwd?: string },
  redactor: Pick<Redactor, 'redact'>,
): Promise<{ json?: string; junit?: string }> {
  const written: { json?: string; junit?: string } = {};
  // Never through a symbolic link planted at the report's name.
  const write = (file: string, content: string, input: string) =>
    writeFileInside(path.resolve(files.cwd ?? process.cwd(), file), content, { input, label: `Input '${input}'` });
  if (files.json) written.json = await write(files.json, `${JSON.stringify(jsonReport(result, redactor), null, 2)}\n`, 'json-file');
  if (files.junit) written.junit = await write(files.junit, junitReport(result, redactor), 'junit-file');
  return written;
}
