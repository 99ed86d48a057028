export { Aggregator, writeSarif, type ReportKind } from '../src/index.ts';
export type { RawFinding as RawFindingForTests } from '../src/sink.ts';
