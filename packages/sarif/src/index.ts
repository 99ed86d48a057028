export * from './model.ts';
export { Aggregator, countFindings, countByTool, emptyCounts, type SeverityCounts } from './aggregate.ts';
export { evaluateGate, parseThreshold, type GateResult } from './gate.ts';
export { detectFormat, loadReport, parseDocument, parseText, type ReportFormat, type ReportKind } from './load.ts';
export { ReportError } from './json.ts';
export { SecretIndex } from './secrets.ts';
export { normalisePath, isRepositoryPath, toUri } from './paths.ts';
export { writeSarif, GITHUB_LIMITS, type SarifOptions, type SarifStats } from './writer.ts';
export { writeFindings } from './findings-file.ts';
export {
  summaryMarkdown,
  consoleReport,
  annotations,
  where,
  ANNOTATION_LIMITS,
  type Annotation,
  type RepositoryLinks,
  type ScanReport,
} from './report.ts';
