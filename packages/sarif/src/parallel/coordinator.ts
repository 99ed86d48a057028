import { addCounts, countAll, type Aggregator } from '../aggregate.ts';
import { outcome, readSources, type AggregateJob, type AggregateOutcome } from '../job.ts';
import { planOutputs, renderFiles, ShardOutput, fillSources, type OutputFiles } from '../output.ts';
import { headOf, joinHeads } from '../report.ts';
import { TextFile } from '../text-file.ts';
import { assembleFiles, describeHandover, layoutFiles } from './assemble.ts';
import { redactInputError } from './errors.ts';
import { Shard } from './shard.ts';
import { partFiles, removeParts, startShard } from './shard-thread.ts';
import { shardJob, type Split } from './split.ts';

/**
 * The coordinator's side of the two-thread path (see README.md): reads the first part of the
 * reports into `agg` while the shard reads the rest, deduplicates the shard's findings against
 * these, plans the outputs, renders its own segments and assembles both threads' segments.
 */
export async function aggregateInTwoThreads(job: AggregateJob, split: Split, agg: Aggregator): Promise<AggregateOutcome> {
  const shard = new Shard(job.shardPort ?? startShard(shardJob(job, split)));
  try {
    const divided = split.at === undefined ? [] : [job.sources[split.index]!];
    // the secrets found so far go to the shard every few MB: it redacts with them as soon as it has read
    let sent = 0;
    const sendSecrets = (last: boolean) => {
      const found = agg.foundSecrets;
      if (found.length > sent || last) shard.secrets(found.slice(sent), last);
      sent = found.length;
    };
    await readSources(agg, job, [...job.sources.slice(0, split.index), ...divided], split.at, () => sendSecrets(false));
    sendSecrets(true);
    // while the shard finishes reading: texts are checked again only for the shard's new secrets
    agg.redactTexts();
    const { findings, output, plan, shardRendered } = await merge(agg, shard, job, partFiles(job, 1));
    const own = partFiles(job, 0);
    const sizes = renderFiles(output, plan, 0, own, false);
    const counts = countAll(findings, agg.tools);
    const heads = [headOf(output.buckets)];
    const { sizes: shardSizes, sources } = await shardRendered;
    fillSources(plan, 1, sources);
    const layouts = layoutFiles(plan, [sizes, shardSizes]);
    // the files exist before the shard writes into them
    for (const file of [job.sarifFile, job.findingsFile]) new TextFile(file).close();
    const files = { sarif: job.sarifFile, findings: job.findingsFile };
    const assembled = shard.assemble(layouts, files);
    assembleFiles(files, layouts, 0, own);
    await assembled;
    const shardCounted = await shard.counted();
    addCounts(counts, shardCounted.counts);
    heads.push(shardCounted.head);
    return await outcome(job, agg, { findings: joinHeads(heads), counts }, plan.stats);
  } finally {
    await shard.close();
    removeParts(job);
  }
}

/**
 * Takes in what the shard read, as if this thread had read the shard's reports after its own:
 * tools, problems and secrets, and the deduplication of its findings against these. Plans the
 * outputs and has the shard render its part. The shard's hand-over is dropped on return. A bad
 * report of the shard's throws the InputError naming its input (see errors.ts).
 */
async function merge(agg: Aggregator, shard: Shard, job: AggregateJob, rendered: OutputFiles) {
  const read = await shard.read().catch((error: unknown) => {
    throw redactInputError(error, agg.secrets);
  });
  for (const tool of read.tools) agg.tool(tool);
  agg.addProblems(read);
  agg.addSkipped(read.skipped);
  agg.addSecrets(read.secrets);
  const verdict = agg.absorb(read.handover);
  shard.verdict(verdict, rendered);
  const findings = agg.finish();
  const output = new ShardOutput(findings, job.root);
  // the shard's findings name their tools and rules as read: the plan names them as the outputs do
  const handover = agg.asRendered(read.handover);
  const plan = planOutputs([output.describe(), describeHandover(handover, verdict)], agg.tools, job);
  return { findings, output, plan, shardRendered: shard.render(plan) };
}
