import { deserialize, serialize } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fingerprintOf, type Aggregator } from './aggregate.ts';
import { ReportError } from './json.ts';
import { loadReport, type ReportKind } from './load.ts';
import type { ToolInfo } from './model.ts';
import type { RawFinding, ReportSink } from './sink.ts';

const JOB = 'pipeline-toolkit/read-reports';

/** The same small young generation as the aggregation worker (see worker.ts). */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 16 };

const TOOL = 0;
const SECRET = 1;
const PROBLEM = 2;
const FINDING = 3;

/** Findings per posted chunk: the reader's heap holds one chunk at a time. */
const CHUNK_FINDINGS = 2000;

/**
 * What a report gave its sink, call by call, as one flat list: `[TOOL, info]`, `[SECRET, value]`,
 * `[PROBLEM, message]`, `[FINDING, raw, fingerprint]`. Replayed in order into the Aggregator, it
 * has exactly the effect of reading the report there; the fingerprint (a sha256 of the dedupe key)
 * is computed on the reading thread.
 */
type Recording = unknown[];

/**
 * Records sink calls and posts them in chunks, serialised (v8.serialize) and transferred: until the
 * aggregation replays them they wait as compact bytes outside both heaps, not as objects.
 */
class RecordingSink implements ReportSink {
  #events: Recording = [];
  #findings = 0;
  readonly #index: number;

  constructor(index: number) {
    this.#index = index;
  }

  tool(info: ToolInfo): void {
    this.#events.push(TOOL, info);
  }

  secret(value: string | undefined): void {
    if (value) this.#events.push(SECRET, value);
  }

  problem(message: string): void {
    this.#events.push(PROBLEM, message);
  }

  finding(raw: RawFinding): void {
    this.#events.push(FINDING, raw, fingerprintOf(raw.key));
    if (++this.#findings % CHUNK_FINDINGS === 0) this.flush(false);
  }

  /** Posts the calls recorded since the last flush; `end` marks the report's last chunk. */
  flush(end: boolean): void {
    const bytes = serialize(this.#events);
    this.#events = [];
    // transfer the bytes when they own their memory (not a view of a shared pool)
    const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;
    parentPort!.postMessage({ index: this.#index, chunk: bytes, end } satisfies ReaderMessage, own ? [bytes.buffer] : []);
  }
}

/** Feeds recorded sink calls into the aggregator, in the order they were made. */
function replay(events: Recording, agg: Aggregator): void {
  for (let i = 0; i < events.length; ) {
    const kind = events[i++] as number;
    if (kind === TOOL) agg.tool(events[i++] as ToolInfo);
    else if (kind === SECRET) agg.secret(events[i++] as string);
    else if (kind === PROBLEM) agg.problem(events[i++] as string);
    else {
      agg.fingerprinted(events[i] as RawFinding, events[i + 1] as string);
      i += 2;
    }
  }
}

export interface ReaderSource {
  file: string;
  kind: ReportKind;
}

interface ReaderJob {
  sources: ReaderSource[];
  root: string;
  gitleaksIgnore: string[];
}

/** A chunk of one report's recording (`end`: its last), or the error that reading it raised. */
interface ReaderMessage {
  index: number;
  chunk?: Uint8Array;
  end?: boolean;
  error?: { name: string; message: string; file?: string };
}

/**
 * Reads reports in a second thread while the aggregation reads the others. The reader reads its
 * sources in order and posts each as it goes; `take(i)` replays the i-th into the aggregator once
 * the earlier ones are taken (or throws the error that reading it here would have thrown).
 */
export class ReportReader {
  readonly #worker: Worker;
  readonly #queue: ReaderMessage[] = [];
  #wake: (() => void) | undefined;
  #failure: string | undefined;

  constructor(job: ReaderJob) {
    this.#worker = new Worker(new URL(import.meta.url), { workerData: { job: JOB, payload: job }, resourceLimits: RESOURCE_LIMITS });
    this.#worker.on('message', (message: ReaderMessage) => this.#push(message));
    this.#worker.on('error', (error) => this.#fail(error.message));
    this.#worker.on('exit', (code) => this.#fail(`The report reader stopped with exit code ${code}.`));
  }

  #push(message: ReaderMessage): void {
    this.#queue.push(message);
    this.#wake?.();
  }

  #fail(message: string): void {
    this.#failure ??= message;
    this.#wake?.();
  }

  async #next(): Promise<ReaderMessage> {
    while (!this.#queue.length) {
      if (this.#failure !== undefined) return { index: -1, error: { name: 'Error', message: this.#failure } };
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
    return this.#queue.shift()!;
  }

  /** Replays the index-th source of the reader's job into `agg` (sources are taken in order). */
  async take(index: number, agg: Aggregator): Promise<void> {
    for (;;) {
      const message = await this.#next();
      if (message.error) {
        const { name, message: text, file } = message.error;
        if (name === 'ReportError') throw new ReportError(file!, text.slice(file!.length + 2));
        throw new Error(text);
      }
      if (message.index !== index) throw new Error(`The report reader sent report ${message.index} before ${index}.`);
      replay(deserialize(message.chunk!) as Recording, agg);
      if (message.end) return;
    }
  }

  /** Stops the reader thread (at the end, or when the aggregation failed early). */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

if (!isMainThread && (workerData as { job?: string } | undefined)?.job === JOB) {
  const { sources, root, gitleaksIgnore } = (workerData as { payload: ReaderJob }).payload;
  const ignore = new Set(gitleaksIgnore);
  for (const [index, { file, kind }] of sources.entries()) {
    const sink = new RecordingSink(index);
    try {
      await loadReport(file, kind, { root, sink, gitleaksIgnore: ignore });
      sink.flush(true);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      const file = e instanceof ReportError ? e.file : undefined;
      parentPort!.postMessage({ index, error: { name: e.name, message: e.message, file } } satisfies ReaderMessage);
      break;
    }
  }
}
