import { errorMessage } from '@pipeline-toolkit/core';
import { readFile, stat } from 'node:fs/promises';
import { obj, ReportError } from './json.ts';
import { OUTPUT_MARKER } from './model.ts';
import { parseSarif } from './parsers/sarif.ts';
import {
  detectElement,
  detectObject,
  namesOf,
  scannerById,
  scannerOfDriver,
  scannerOfStream,
  SCANNERS,
  streamedKeys,
  type Scanner,
} from './scanners/index.ts';
import type { ParseContext, ReportSink } from './sink.ts';
import { isEmptyPolicy, PolicySink, policyMatchers, type FindingPolicy } from './policy.ts';
import { MAX_TEXT, NOT_MINE, streamJson, TextTooLarge, type Division, type Pause } from './parallel/reader.ts';

/** A detected format: `<scanner id>-json` for a registered scanner's JSON, SARIF, an empty report, or this action's own output. */
export type ReportFormat = `${string}-json` | 'sarif' | 'empty' | 'own';
/**
 * What an input accepts: one registered scanner's JSON or SARIF (its id), (`sarif`) any SARIF
 * 2.1.0, or (`any`, the generic `reports` input) every format this package reads, detected from
 * the content.
 */
export type ReportKind = string;

function formatName(format: ReportFormat): string {
  if (format === 'sarif') return 'a SARIF log';
  if (format === 'empty') return 'an empty report (null)';
  if (format === 'own') return 'a findings file this action wrote';
  return `a ${scannerById(format.slice(0, -'-json'.length))?.tool.name ?? format} JSON report`;
}

/** What an input of `kind` expects, for messages. */
export function expected(kind: ReportKind): string {
  if (kind === 'sarif') return 'a SARIF 2.1.0 log';
  const scanner = scannerById(kind);
  if (scanner) return `a ${scanner.tool.name} JSON${scanner.sarifDriver ? ' or SARIF' : ''} report`;
  return `a SARIF 2.1.0 log or a ${namesOf(SCANNERS, 'or')} JSON report`;
}

const formatOf = (scanner: Scanner): ReportFormat => `${scanner.tool.id}-json`;

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
  const scanner = detectElement(first);
  return scanner && formatOf(scanner);
}

/** Recognises a report by its content (never by its file name). */
export function detectFormat(doc: unknown): ReportFormat | undefined {
  if (doc === null) return 'empty';
  if (Array.isArray(doc)) return arrayFormat(doc);
  const o = obj(doc);
  if (!o) return undefined;
  if ('runs' in o && ('version' in o || '$schema' in o)) return 'sarif';
  const scanner = detectObject(o);
  return scanner && formatOf(scanner);
}

/** Whether an input of `kind` takes a report of `format`. */
function accepts(kind: ReportKind, format: ReportFormat): boolean {
  return kind === 'any' || format === 'empty' || format === `${kind}-json`;
}

/** An empty report (`null`, `[]`) still names its tool: its SARIF run closes the tool's old alerts. */
function emptyReport(kind: ReportKind, ctx: ParseContext): void {
  const scanner = scannerById(kind);
  if (scanner) ctx.sink.tool({ ...scanner.tool });
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
    throw new ReportError(ctx.file, `is not a SARIF log nor a ${namesOf(SCANNERS, 'or')} JSON report; expected ${expected(kind)}`);
  if (format === 'own') return undefined;
  if (format === 'sarif') {
    if (isOwnOutput(doc)) return undefined;
    if (kind !== 'sarif' && kind !== 'any') {
      const other = sarifTools(doc).find((name) => scannerOfDriver(name)?.tool.id !== kind);
      if (other !== undefined)
        throw new ReportError(ctx.file, `is a SARIF log of '${other || 'an unnamed tool'}'; expected ${expected(kind)}`);
    }
    parseSarif(doc, ctx);
  } else if (!accepts(kind, format) || (kind === 'sarif' && format !== 'empty')) {
    throw new ReportError(ctx.file, `is ${formatName(format)}; expected ${expected(kind)}`);
  } else if (format === 'empty') emptyReport(kind, ctx);
  else scannerById(format.slice(0, -'-json'.length))!.parse(doc, ctx);
  return format;
}

/** Parses report text; errors name the file and what was expected. */
export function parseText(text: string, kind: ReportKind, ctx: ParseContext): ReportFormat | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.trim()) throw new ReportError(ctx.file, `is empty; expected ${expected(kind)}`);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const reason = errorMessage(error);
    throw new ReportError(ctx.file, `is not valid JSON (${reason}); expected ${expected(kind)}`);
  }
  return parseDocument(doc, kind, ctx);
}

/** The element reader of a bare array, chosen by its first element and checked against the input. */
function arrayReader(first: unknown, kind: ReportKind, ctx: ParseContext): (element: unknown, index: number) => void {
  // a findings file of an earlier run: not read back
  if (isOwnFinding(first)) return () => undefined;
  const scanner = detectElement(first);
  if (!scanner?.readElement)
    throw new ReportError(ctx.file, `is an array whose elements are not findings of a known tool; expected ${expected(kind)}`);
  if (!accepts(kind, formatOf(scanner)) || kind === 'sarif')
    throw new ReportError(ctx.file, `is ${formatName(formatOf(scanner))}; expected ${expected(kind)}`);
  ctx.sink.tool({ ...scanner.tool });
  const read = scanner.readElement;
  return (element, index) => read(element, index, ctx);
}

/**
 * Reads and parses one report file. The JSON reports of the scanners that say so (Scanner.stream,
 * Scanner.readElement) are streamed: their large arrays are read element by element and never
 * held whole (see parallel/reader.ts); anything else (SARIF, small or unusual documents) is parsed
 * whole and dropped as soon as its findings are taken.
 * With a division, reads one side of a report that two threads share (see Division); `pause` is
 * called every few MB of a streamed report (see Pause).
 */
export async function loadReport(
  file: string,
  kind: ReportKind,
  base: Omit<ParseContext, 'file'>,
  chunkSize?: number,
  division?: Division,
  pause?: Pause,
): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new ReportError(file, `file not found; expected ${expected(kind)}`);
  if (!info.isFile()) throw new ReportError(file, `is not a file; expected ${expected(kind)}`);
  if (info.size === 0) throw new ReportError(file, `is empty (0 bytes); expected ${expected(kind)}`);
  const ctx: ParseContext = { ...base, file };
  /** The scanner whose array is streamed; 'bare' for a bare array, whichever scanner's. */
  let streamed: Scanner | 'bare' | undefined;
  let rest: unknown;
  /** A bare array with elements was read (its elements were the whole report). */
  let bare = false;
  try {
    rest = await streamJson(
      file,
      {
        split: streamedKeys(),
        arrayStart(key, topLevel) {
          if (key === '') {
            // a bare array (Gitleaks, Trivy before 0.20, Checkov …), told apart by its first element
            streamed = 'bare';
            let read: ((element: unknown, index: number) => void) | undefined;
            return (element, index) => {
              if (!read) {
                read = arrayReader(element, kind, ctx);
                bare = true;
              }
              read(element, index);
            };
          }
          const scanner = scannerOfStream(key)!;
          streamed = scanner;
          if (!accepts(kind, formatOf(scanner)) || kind === 'sarif')
            throw new ReportError(file, `is ${formatName(formatOf(scanner))}; expected ${expected(kind)}`);
          const { element: read, nested } = scanner.stream!;
          const element = (item: unknown, index: number) => read(item, index, topLevel, ctx);
          if (!nested) return element;
          // each element is a document of its own, whose large array is read item by item too
          const handlers = {
            split: new Set([nested.key]),
            arrayStart: (_key: string, inner: Readonly<Record<string, string>>, keys: ReadonlySet<string>) =>
              nested.start(inner, keys, topLevel, ctx),
          };
          return { element, handlers };
        },
      },
      chunkSize,
      division,
      pause,
    );
  } catch (error) {
    if (error instanceof TextTooLarge || (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_STRING_TOO_LONG')
      throw new ReportError(file, tooLarge(error instanceof TextTooLarge ? error.part : 'document'));
    if (error instanceof SyntaxError) {
      const empty = !streamed && /end of JSON input|Unexpected end/.test(error.message) && !(await readFile(file, 'utf8')).trim();
      throw new ReportError(
        file,
        empty ? `is empty; expected ${expected(kind)}` : `is not valid JSON (${error.message}); expected ${expected(kind)}`,
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
  if (streamed === 'bare') {
    if (kind === 'sarif') throw new ReportError(file, `is an empty JSON array; expected ${expected(kind)}`);
    emptyReport(kind, ctx);
    return;
  }
  streamed.stream!.envelope(obj(rest) ?? {}, ctx);
}

/** Why a report cannot be read: a part of it longer than the longest text JavaScript makes (MAX_TEXT). */
export function tooLarge(part: 'document' | 'element'): string {
  const limit = `${MAX_TEXT.toLocaleString('en-US')} characters (about ${Math.round(MAX_TEXT / 1048576)} MiB), the longest text JavaScript makes`;
  return part === 'element'
    ? `is too large to read: one of its findings is longer than ${limit}`
    : `is too large to read: what is read of it as one text (a SARIF file whole, other reports without their findings) is longer than ${limit}; split it into smaller reports`;
}

/** A report to read: the file, what its input expects, and the side of a division when shared by two threads. */
export interface ReportSource {
  file: string;
  kind: ReportKind;
  division?: Division;
}

/**
 * Reads reports in order into an aggregator; stops at the first that fails and returns its index
 * and error (each caller names it in its own way). `pause` is called every few MB of a streamed
 * report and after each report (see Pause).
 */
export async function readReports(
  sink: ReportSink & { startReport(file: string): void },
  sources: readonly ReportSource[],
  root: string,
  gitleaksIgnore: readonly string[],
  pause?: Pause,
  policy?: FindingPolicy,
): Promise<{ index: number; error: unknown } | undefined> {
  const ignore = new Set(gitleaksIgnore);
  const policed = isEmptyPolicy(policy) ? sink : new PolicySink(sink, policy!, await policyMatchers(policy!));
  for (const [index, { file, kind, division }] of sources.entries()) {
    policed.startReport(file);
    try {
      await loadReport(file, kind, { root, sink: policed, gitleaksIgnore: ignore }, undefined, division, pause);
    } catch (error) {
      return { index, error };
    }
    await pause?.();
  }
  return undefined;
}
