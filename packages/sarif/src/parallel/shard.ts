import { rmSync } from 'node:fs';
import { Worker, type MessagePort } from 'node:worker_threads';
import { Aggregator, countAll, type FindingCounts, type Handover, type SkippedPaths, type Verdict } from '../aggregate.ts';
import { readReports, type ReportSource } from '../load.ts';
import type { FindingPolicy } from '../policy.ts';
import type { Finding, Location, ToolInfo } from '../model.ts';
import { ShardOutput, type OutputFiles, type OutputPlan, type Sizes } from '../output.ts';
import { headOf } from '../report.ts';
import { writeTextFile } from '../text-file.ts';
import { placement, type RuleSource } from '../writer.ts';
import { assembleFiles, type Layouts } from './assemble.ts';
import { fromRecord, reportInputError, toRecord, type InputOf, type ThreadErrorRecord } from './errors.ts';

export interface ShardJob {
  /** The first source may be the after side of a divided report; each names its input for errors. */
  sources: (ReportSource & InputOf)[];
  root: string;
  gitleaksIgnore: string[];
  policy?: FindingPolicy;
}

/** What a shard tells the coordinator, step by step (see steps() below). */
type FromShard =
  | {
      step: 'read';
      tools: ToolInfo[];
      problems: string[];
      problemReports: number;
      problemsCut: boolean;
      secrets: string[];
      skipped: SkippedPaths;
      handover: Handover;
    }
  | { step: 'rendered'; sizes: Sizes; sources: RuleSource[] }
  | { step: 'counted'; counts: FindingCounts; head: Finding[][] }
  | { step: 'assembled' }
  | { step: 'failed'; error: ThreadErrorRecord };

type ToShard =
  | { step: 'secrets'; secrets: string[]; last: boolean }
  | { step: 'verdict'; verdict: Verdict; rendered: OutputFiles }
  | { step: 'render'; plan: OutputPlan }
  | { step: 'assemble'; layouts: Layouts; files: OutputFiles };

/** Messages taken one step at a time: the first of the step asked for, or the first failure. */
class Inbox<T extends { step: string }> {
  readonly #queue: T[] = [];
  #wake: (() => void) | undefined;
  #failure: Error | undefined;

  push(message: T): void {
    this.#queue.push(message);
    this.#wake?.();
  }

  fail(error: Error): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  async next(step: string): Promise<T> {
    for (;;) {
      const at = this.#queue.findIndex((m) => m.step === step || m.step === 'failed');
      if (at >= 0) return this.#queue.splice(at, 1)[0]!;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

/**
 * The coordinator's side of a shard: a second thread that reads the later reports into its own
 * Aggregator while the coordinator reads the earlier ones, then renders its own findings' part of
 * the outputs. Only counts, rules and fingerprints cross between the threads, never all the
 * findings. Each method is one step of the exchange, in order.
 */
export class Shard {
  readonly #link: Worker | MessagePort;
  readonly #inbox = new Inbox<FromShard>();

  /** `link`: the shard's thread (startShard), or a port to one started elsewhere (by the main thread, at the same time as this one). */
  constructor(link: Worker | MessagePort) {
    this.#link = link;
    link.on('message', (message: FromShard) => this.#inbox.push(message));
    if (link instanceof Worker) {
      link.on('error', (error) => this.#inbox.fail(error));
      link.on('exit', (code) => this.#inbox.fail(new Error(`The shard stopped with exit code ${code}.`)));
    } else link.on('close', () => this.#inbox.fail(new Error('The shard stopped.')));
  }

  async #next<S extends FromShard['step']>(step: S): Promise<Extract<FromShard, { step: S }>> {
    const message = await this.#inbox.next(step);
    if (message.step === 'failed') throw fromRecord(message.error);
    return message as Extract<FromShard, { step: S }>;
  }

  #send(message: ToShard): void {
    this.#link.postMessage(message);
  }

  /** The shard's reports are read: what the coordinator merges. A bad report throws the InputError naming its input. */
  read(): Promise<Extract<FromShard, { step: 'read' }>> {
    return this.#next('read');
  }

  /**
   * Gives the coordinator's secrets found since the last call: every few MB while it reads (the
   * shard registers them as they come, so that it can redact as soon as it has read), and once
   * more (`last`) when it has read its reports.
   */
  secrets(secrets: string[], last: boolean): void {
    this.#send({ step: 'secrets', secrets, last });
  }

  /**
   * Gives the deduplication verdict: the shard keeps and sorts its findings meanwhile, and renders
   * its segments of the findings file (they do not depend on the plan) into `rendered.findings`.
   */
  verdict(verdict: Verdict, rendered: OutputFiles): void {
    this.#send({ step: 'verdict', verdict, rendered });
  }

  /** Gives the plan: the shard renders its SARIF segments. Resolves to the sizes of all its segments and the entries of the rules first seen in them. */
  render(plan: OutputPlan): Promise<Extract<FromShard, { step: 'rendered' }>> {
    this.#send({ step: 'render', plan });
    return this.#next('rendered');
  }

  /** The counts and head of the shard's findings (sent once it has rendered). */
  counted(): Promise<Extract<FromShard, { step: 'counted' }>> {
    return this.#next('counted');
  }

  /** The shard copies its segments into the files (which exist by now). */
  async assemble(layouts: Layouts, files: OutputFiles): Promise<void> {
    this.#send({ step: 'assemble', layouts, files });
    await this.#next('assembled');
  }

  async close(): Promise<void> {
    if (this.#link instanceof Worker) await this.#link.terminate();
    else this.#link.close();
  }
}

/** The shard's steps, in its thread (see shard-thread.ts); a failure is reported to the coordinator. */
export async function runShard(job: ShardJob, port: MessagePort): Promise<void> {
  try {
    await steps(job, port);
  } catch (error) {
    port.postMessage({ step: 'failed', error: toRecord(error) } satisfies FromShard);
  }
}

async function steps(job: ShardJob, port: MessagePort): Promise<void> {
  const inbox = new Inbox<ToShard>();
  // secret matches across tools are left to the coordinator, which knows the earlier reports
  const agg = new Aggregator({ secretsAcrossTools: false });
  port.on('message', (message: ToShard) => {
    // the coordinator's secrets are registered as they come, even while this thread reads (see pause below)
    if (message.step === 'secrets') agg.addSecrets(message.secrets);
    if (message.step !== 'secrets' || message.last) inbox.push(message);
  });
  const post = (message: FromShard) => port.postMessage(message);
  const expect = async <S extends ToShard['step']>(step: S) => {
    return (await inbox.next(step)) as Extract<ToShard, { step: S }>;
  };

  // every few MB, the messages that came meanwhile are taken in (the coordinator's secrets)
  const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
  const failed = await readReports(agg, job.sources, job.root, job.gitleaksIgnore, pause, job.policy);
  if (failed) throw reportInputError(job.sources[failed.index]!, failed.error, agg.secrets);
  const reports = new Map<string, Location | undefined>();
  const placed = (f: Finding) => placement(f, job.root, reports) !== undefined;
  post({
    step: 'read',
    tools: agg.toolsAsRead,
    problems: agg.problems,
    problemReports: agg.problemReports,
    problemsCut: agg.problemsCut,
    secrets: [...agg.foundSecrets],
    skipped: agg.skippedPaths,
    handover: agg.handover(placed),
  });

  // Every secret is known once the coordinator's last ones have come. The texts are redacted with
  // the secrets known now (most of the coordinator's came while this thread read), and checked
  // again only for those that come later, if any.
  await pause();
  agg.redactTexts();
  await expect('secrets');
  agg.redactTexts();
  const { verdict, rendered } = await expect('verdict');
  agg.applyVerdict(verdict);
  const findings = agg.finish();
  const output = new ShardOutput(findings, job.root);
  try {
    // while the coordinator makes the plan
    const entries = writeTextFile(rendered.findings, (out) => output.renderEntries(out));
    const { plan } = await expect('render');
    const results = writeTextFile(rendered.sarif, (out) => output.render(plan, 1, { sarif: out }, false).sarif);
    post({ step: 'rendered', sizes: { sarif: results, findings: entries }, sources: output.ruleSources(plan, 1) });
    // while the coordinator lays the files out
    post({ step: 'counted', counts: countAll(findings, []), head: headOf(output.buckets) });
    const { layouts, files } = await expect('assemble');
    assembleFiles(files, layouts, 1, rendered);
  } finally {
    for (const file of [rendered.sarif, rendered.findings]) rmSync(file, { force: true });
  }
  post({ step: 'assembled' });
}
