import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redactor } from '@pipeline-toolkit/core';
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
  const write = async (file: string, content: string) => {
    const absolute = path.resolve(files.cwd ?? process.cwd(), file);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
    return absolute;
  };
  if (files.json) written.json = await write(files.json, `${JSON.stringify(jsonReport(result, redactor), null, 2)}\n`);
  if (files.junit) written.junit = await write(files.junit, junitReport(result, redactor));
  return written;
}
