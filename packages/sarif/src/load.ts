import { errorMessage } from '@pipeline-toolkit/core';
import { readFile, stat } from 'node:fs/promises';
import { obj, ReportError } from './json.ts';
import { OUTPUT_MARKER } from './model.ts';
import { CHECKOV, isCheckovReport, parseCheckovJson, readCheckovElement } from './parsers/checkov.ts';
import { GITLEAKS, isGitleaksLeak, parseGitleaksJson, readGitleaksLeak } from './parsers/gitleaks.ts';
import { isGrypeJson, parseGrypeJson } from './parsers/grype.ts';
import { parseSarif, sarifToolKind } from './parsers/sarif.ts';
import { parseSemgrepJson, readSemgrepEnvelope, readSemgrepResult, SEMGREP } from './parsers/semgrep.ts';
import {
  isTrivyKubernetes,
  isTrivyLegacyResult,
  parseTrivyJson,
  readTrivyEnvelope,
  readTrivyLegacyResult,
  readTrivyResult,
  TRIVY,
} from './parsers/trivy.ts';
import type { ParseContext, ReportSink } from './sink.ts';
import { NOT_MINE, streamJson, type Division } from './parallel/reader.ts';

export type ReportFormat = 'gitleaks-json' | 'semgrep-json' | 'trivy-json' | 'grype-json' | 'checkov-json' | 'sarif' | 'empty' | 'own';
/**
 * What an input accepts: one tool's JSON or SARIF, (`sarif`) any SARIF 2.1.0, or (`any`, the
 * generic `reports` input) every format this package reads, detected from the content.
 */
export type ReportKind = 'gitleaks' | 'semgrep' | 'trivy' | 'sarif' | 'any';

const FORMAT_NAMES: Record<ReportFormat, string> = {
  'gitleaks-json': 'a Gitleaks JSON report',
  'semgrep-json': 'a Semgrep JSON report',
  'trivy-json': 'a Trivy JSON report',
  'grype-json': 'a Grype JSON report',
  'checkov-json': 'a Checkov JSON report',
  sarif: 'a SARIF log',
  empty: 'an empty report (null)',
  own: 'a findings file this action wrote',
};

const EXPECTED: Record<ReportKind, string> = {
  gitleaks: 'a Gitleaks JSON or SARIF report',
  semgrep: 'a Semgrep JSON or SARIF report',
  trivy: 'a Trivy JSON or SARIF report',
  sarif: 'a SARIF 2.1.0 log',
  any: 'a SARIF 2.1.0 log or a Gitleaks, Semgrep, Trivy, Grype or Checkov JSON report',
};

/** Whether a SARIF log is one this package wrote (its marker in the log's properties). */
export function isOwnOutput(doc: unknown): boolean {
  return obj(obj(doc)?.['properties'])?.[OUTPUT_MARKER] !== undefined;
}

/** Whether an array element is a finding of this package's findings file (a previous run's output). */
function isOwnFinding(item: unknown): boolean {
  const f = obj(item);
  return !!f && Array.isArray(f['tools']) && typeof f['fingerprint'] === 'string' && 'report' in f && 'severity' in f;
}

/** The JSON format of a top-level array, from its first element (an empty array is an empty report). */
function arrayFormat(doc: readonly unknown[]): ReportFormat | undefined {
  const first = doc[0];
  if (first === undefined) return 'empty';
  if (isOwnFinding(first)) return 'own';
  if (isGitleaksLeak(first)) return 'gitleaks-json';
  if (isCheckovReport(first)) return 'checkov-json';
  if (isTrivyLegacyResult(first)) return 'trivy-json';
  return undefined;
}

/** Recognises a report by its content (never by its file name). */
export function detectFormat(doc: unknown): ReportFormat | undefined {
  if (doc === null) return 'empty';
  if (Array.isArray(doc)) return arrayFormat(doc);
  const o = obj(doc);
  if (!o) return undefined;
  if ('runs' in o && ('version' in o || '$schema' in o)) return 'sarif';
  if ('SchemaVersion' in o && ('Results' in o || 'ArtifactName' in o)) return 'trivy-json';
  if (isTrivyKubernetes(o)) return 'trivy-json';
  if (isGrypeJson(o)) return 'grype-json';
  if (isCheckovReport(o)) return 'checkov-json';
  if (Array.isArray(o['results']) && ('errors' in o || 'paths' in o || 'version' in o)) return 'semgrep-json';
  return undefined;
}

/** Whether an input of `kind` takes a report of `format`. */
function accepts(kind: ReportKind, format: ReportFormat): boolean {
  return kind === 'any' || format === 'empty' || format === `${kind}-json`;
}

/** An empty report (`null`, `[]`) still names its tool: its SARIF run closes the tool's old alerts. */
function emptyReport(kind: ReportKind, ctx: ParseContext): void {
  if (kind === 'gitleaks') ctx.sink.tool({ ...GITLEAKS });
  else if (kind === 'semgrep') ctx.sink.tool({ ...SEMGREP });
  else if (kind === 'trivy') ctx.sink.tool({ ...TRIVY });
}

function sarifTools(doc: unknown): string[] {
  const runs = obj(doc)?.['runs'];
  return Array.isArray(runs) ? runs.map((r) => String(obj(obj(obj(r)?.['tool'])?.['driver'])?.['name'] ?? '')) : [];
}

/**
 * Parses a document that was read from `ctx.file`, checking it is what the input expects. Returns
 * undefined for a SARIF log that this package wrote (a previous run's output: never read back).
 */
export function parseDocument(doc: unknown, kind: ReportKind, ctx: ParseContext): ReportFormat | undefined {
  const format = detectFormat(doc);
  if (!format)
    throw new ReportError(
      ctx.file,
      `is not a SARIF log nor a Gitleaks, Semgrep, Trivy, Grype or Checkov JSON report; expected ${EXPECTED[kind]}`,
    );
  if (format === 'own') return undefined;
  if (format === 'sarif') {
    if (isOwnOutput(doc)) return undefined;
    if (kind !== 'sarif' && kind !== 'any') {
      const other = sarifTools(doc).find((name) => sarifToolKind(name) !== kind);
      if (other !== undefined)
        throw new ReportError(ctx.file, `is a SARIF log of '${other || 'an unnamed tool'}'; expected ${EXPECTED[kind]}`);
    }
    parseSarif(doc, ctx);
  } else if (!accepts(kind, format) || (kind === 'sarif' && format !== 'empty')) {
    throw new ReportError(ctx.file, `is ${FORMAT_NAMES[format]}; expected ${EXPECTED[kind]}`);
  } else if (format === 'empty') emptyReport(kind, ctx);
  else if (format === 'gitleaks-json') parseGitleaksJson(doc, ctx);
  else if (format === 'semgrep-json') parseSemgrepJson(doc, ctx);
  else if (format === 'grype-json') parseGrypeJson(obj(doc)!, ctx);
  else if (format === 'checkov-json') parseCheckovJson(doc, ctx);
  else parseTrivyJson(doc, ctx);
  return format;
}

/** Parses report text; errors name the file and what was expected. */
export function parseText(text: string, kind: ReportKind, ctx: ParseContext): ReportFormat | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.trim()) throw new ReportError(ctx.file, `is empty; expected ${EXPECTED[kind]}`);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const reason = errorMessage(error);
    throw new ReportError(ctx.file, `is not valid JSON (${reason}); expected ${EXPECTED[kind]}`);
  }
  return parseDocument(doc, kind, ctx);
}

/** The large arrays of the JSON formats, read element by element: a bare array (Gitleaks, old Trivy, Checkov), Trivy's Results, Semgrep's results. */
const STREAMED: Record<string, ReportFormat> = { '': 'gitleaks-json', Results: 'trivy-json', results: 'semgrep-json' };

/** The element reader of a bare array, chosen by its first element and checked against the input. */
function arrayReader(first: unknown, kind: ReportKind, ctx: ParseContext): (element: unknown, index: number) => void {
  const format = arrayFormat([first]);
  // a findings file of an earlier run: not read back
  if (format === 'own') return () => undefined;
  if (!format || format === 'empty')
    throw new ReportError(ctx.file, `is an array whose elements are not findings of a known tool; expected ${EXPECTED[kind]}`);
  if (!accepts(kind, format) || kind === 'sarif') throw new ReportError(ctx.file, `is ${FORMAT_NAMES[format]}; expected ${EXPECTED[kind]}`);
  if (format === 'gitleaks-json') {
    ctx.sink.tool({ ...GITLEAKS });
    return (element, index) => readGitleaksLeak(element, index, ctx);
  }
  if (format === 'checkov-json') {
    ctx.sink.tool({ ...CHECKOV });
    return (element, index) => readCheckovElement(element, index, ctx);
  }
  ctx.sink.tool({ ...TRIVY });
  return (element) => readTrivyLegacyResult(element, ctx);
}

/**
 * Reads and parses one report file. The JSON reports of the three tools are streamed: their large
 * arrays are read element by element and never held whole (see parallel/reader.ts); anything else (SARIF,
 * small or unusual documents) is parsed whole and dropped as soon as its findings are taken.
 * With a division, reads one side of a report that two threads share (see Division).
 */
export async function loadReport(
  file: string,
  kind: ReportKind,
  base: Omit<ParseContext, 'file'>,
  chunkSize?: number,
  division?: Division,
): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new ReportError(file, `file not found; expected ${EXPECTED[kind]}`);
  if (!info.isFile()) throw new ReportError(file, `is not a file; expected ${EXPECTED[kind]}`);
  if (info.size === 0) throw new ReportError(file, `is empty (0 bytes); expected ${EXPECTED[kind]}`);
  const ctx: ParseContext = { ...base, file };
  let streamed: ReportFormat | undefined;
  let rest: unknown;
  /** A bare array with elements was read (its elements were the whole report). */
  let bare = false;
  try {
    rest = await streamJson(
      file,
      {
        split: new Set(Object.keys(STREAMED)),
        arrayStart(key, topLevel) {
          if (key === '') {
            // a bare array: Gitleaks, Trivy before 0.20 or Checkov, told apart by its first element
            streamed = 'empty';
            let read: ((element: unknown, index: number) => void) | undefined;
            return (element, index) => {
              if (!read) {
                read = arrayReader(element, kind, ctx);
                bare = true;
              }
              read(element, index);
            };
          }
          streamed = STREAMED[key]!;
          if (!accepts(kind, streamed) || kind === 'sarif')
            throw new ReportError(file, `is ${FORMAT_NAMES[streamed]}; expected ${EXPECTED[kind]}`);
          if (streamed === 'trivy-json') return (element) => readTrivyResult(element, topLevel, ctx);
          return (element, index) => readSemgrepResult(element, index, ctx);
        },
      },
      chunkSize,
      division,
    );
  } catch (error) {
    if (error instanceof SyntaxError) {
      const empty = !streamed && /end of JSON input|Unexpected end/.test(error.message) && !(await readFile(file, 'utf8')).trim();
      throw new ReportError(
        file,
        empty ? `is empty; expected ${EXPECTED[kind]}` : `is not valid JSON (${error.message}); expected ${EXPECTED[kind]}`,
      );
    }
    throw error;
  }
  // one side of a divided report: the other side reads the document around the array
  if (rest === NOT_MINE) return;
  if (!streamed) {
    parseDocument(rest, kind, ctx);
    return;
  }
  if (bare) return;
  // an empty bare array
  if (streamed === 'empty') {
    if (kind === 'sarif') throw new ReportError(file, `is an empty JSON array; expected ${EXPECTED[kind]}`);
    emptyReport(kind, ctx);
    return;
  }
  const envelope = obj(rest) ?? {};
  if (streamed === 'trivy-json') readTrivyEnvelope(envelope, ctx);
  if (streamed === 'semgrep-json') readSemgrepEnvelope(envelope, ctx);
}

/** A report to read: the file, what its input expects, and the side of a division when shared by two threads. */
export interface ReportSource {
  file: string;
  kind: ReportKind;
  division?: Division;
}

/**
 * Reads reports in order into an aggregator; stops at the first that fails and returns its index
 * and error (each caller names it in its own way).
 */
export async function readReports(
  sink: ReportSink & { startReport(file: string): void },
  sources: readonly ReportSource[],
  root: string,
  gitleaksIgnore: readonly string[],
): Promise<{ index: number; error: unknown } | undefined> {
  const ignore = new Set(gitleaksIgnore);
  for (const [index, { file, kind, division }] of sources.entries()) {
    sink.startReport(file);
    try {
      await loadReport(file, kind, { root, sink, gitleaksIgnore: ignore }, undefined, division);
    } catch (error) {
      return { index, error };
    }
  }
  return undefined;
}
