import { errorMessage } from '@pipeline-toolkit/core';
import { readFile, stat } from 'node:fs/promises';
import { obj, ReportError } from './json.ts';
import { GITLEAKS, parseGitleaksJson, readGitleaksLeak } from './parsers/gitleaks.ts';
import { parseSarif, sarifToolKind } from './parsers/sarif.ts';
import { parseSemgrepJson, readSemgrepEnvelope, readSemgrepResult } from './parsers/semgrep.ts';
import { parseTrivyJson, readTrivyEnvelope, readTrivyResult } from './parsers/trivy.ts';
import type { ParseContext, ReportSink } from './sink.ts';
import { NOT_MINE, streamJson, type Division } from './stream.ts';

export type ReportFormat = 'gitleaks-json' | 'semgrep-json' | 'trivy-json' | 'sarif';
/** What an input accepts: one tool's JSON or SARIF, or (`sarif`) any SARIF 2.1.0. */
export type ReportKind = 'gitleaks' | 'semgrep' | 'trivy' | 'sarif';

const FORMAT_NAMES: Record<ReportFormat, string> = {
  'gitleaks-json': 'a Gitleaks JSON report',
  'semgrep-json': 'a Semgrep JSON report',
  'trivy-json': 'a Trivy JSON report',
  sarif: 'a SARIF log',
};

const EXPECTED: Record<ReportKind, string> = {
  gitleaks: 'a Gitleaks JSON or SARIF report',
  semgrep: 'a Semgrep JSON or SARIF report',
  trivy: 'a Trivy JSON or SARIF report',
  sarif: 'a SARIF 2.1.0 log',
};

/** Recognises a report by its content (never by its file name). */
export function detectFormat(doc: unknown): ReportFormat | undefined {
  if (Array.isArray(doc)) return doc.every((d) => obj(d) && 'RuleID' in obj(d)!) ? 'gitleaks-json' : undefined;
  const o = obj(doc);
  if (!o) return undefined;
  if ('runs' in o && ('version' in o || '$schema' in o)) return 'sarif';
  if ('SchemaVersion' in o && ('Results' in o || 'ArtifactName' in o)) return 'trivy-json';
  if (Array.isArray(o['results']) && ('errors' in o || 'paths' in o || 'version' in o)) return 'semgrep-json';
  return undefined;
}

function sarifTools(doc: unknown): string[] {
  const runs = obj(doc)?.['runs'];
  return Array.isArray(runs) ? runs.map((r) => String(obj(obj(obj(r)?.['tool'])?.['driver'])?.['name'] ?? '')) : [];
}

/** Parses a document that was read from `ctx.file`, checking it is what the input expects. */
export function parseDocument(doc: unknown, kind: ReportKind, ctx: ParseContext): ReportFormat {
  const format = detectFormat(doc);
  if (!format) throw new ReportError(ctx.file, `is not a Gitleaks, Semgrep or Trivy report nor a SARIF log; expected ${EXPECTED[kind]}`);
  if (format === 'sarif') {
    if (kind !== 'sarif') {
      const other = sarifTools(doc).find((name) => sarifToolKind(name) !== kind);
      if (other !== undefined)
        throw new ReportError(ctx.file, `is a SARIF log of '${other || 'an unnamed tool'}'; expected ${EXPECTED[kind]}`);
    }
    parseSarif(doc, ctx);
  } else if (format !== `${kind}-json`) {
    throw new ReportError(ctx.file, `is ${FORMAT_NAMES[format]}; expected ${EXPECTED[kind]}`);
  } else if (format === 'gitleaks-json') parseGitleaksJson(doc, ctx);
  else if (format === 'semgrep-json') parseSemgrepJson(doc, ctx);
  else parseTrivyJson(doc, ctx);
  return format;
}

/** Parses report text; errors name the file and what was expected. */
export function parseText(text: string, kind: ReportKind, ctx: ParseContext): ReportFormat {
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

/** The large arrays of the three JSON formats, read element by element: Gitleaks' document, Trivy's Results, Semgrep's results. */
const STREAMED: Record<string, ReportFormat> = { '': 'gitleaks-json', Results: 'trivy-json', results: 'semgrep-json' };

/**
 * Reads and parses one report file. The JSON reports of the three tools are streamed: their large
 * arrays are read element by element and never held whole (see stream.ts); anything else (SARIF,
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
  try {
    rest = await streamJson(
      file,
      {
        split: new Set(Object.keys(STREAMED)),
        arrayStart(key, topLevel) {
          streamed = STREAMED[key]!;
          if (streamed !== `${kind}-json`) throw new ReportError(file, `is ${FORMAT_NAMES[streamed]}; expected ${EXPECTED[kind]}`);
          if (streamed === 'gitleaks-json') {
            ctx.sink.tool({ ...GITLEAKS });
            return (element, index) => readGitleaksLeak(element, index, ctx);
          }
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
