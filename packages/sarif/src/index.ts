export * from './model.ts';
export { Aggregator, countFindings, countByTool, emptyCounts, type SeverityCounts } from './aggregate.ts';
export { evaluateGate, parseThreshold, baselineCounts, gateMessage, type GateResult } from './gate.ts';
export {
  loadBaseline,
  compareWithBaseline,
  NEW_SHOWN,
  type BaselineJob,
  type BaselineOutcome,
  type NewFinding,
  type GateScope,
} from './baseline.ts';
export {
  readSuppressions,
  parseTrivyIgnore,
  parseTrivyIgnoreYaml,
  readSemgrepIgnore,
  gitignore,
  globCompiler,
  checkGlobs,
  MAX_GLOB_PATTERNS,
  MAX_EXPANDED_PATTERNS,
  pathGlob,
  PolicySink,
  policyMatchers,
  EMPTY_POLICY,
  type FindingPolicy,
  type Suppression,
  type TrivyIgnoreEntry,
} from './policy.ts';
export { detectFormat, expected, loadReport, parseDocument, parseText, type ReportFormat, type ReportKind } from './load.ts';
export { ReportError } from './json.ts';
export { SecretIndex } from './secrets.ts';
export { normalisePath, isRepositoryPath, toUri } from './paths.ts';
export { GITHUB_LIMITS, type SarifOptions, type SarifStats } from './writer.ts';
export { writeSarif, writeFindings } from './output.ts';
export {
  summaryMarkdown,
  consoleReport,
  moreProblems,
  annotations,
  where,
  ANNOTATION_LIMITS,
  type Annotation,
  type RepositoryLinks,
  type ScanReport,
} from './report.ts';
export {
  readScanInputs,
  findingsFileFor,
  FINDINGS_ARTIFACT,
  registryInputs,
  REPORT_INPUTS,
  type ScanOptions,
  type ReportInput,
  type RegistryInput,
} from './options.ts';
export { expandReports } from './files.ts';
export { runScan, readPolicy, isPullRequestEvent, type ScanDeps, type ScanResult } from './scan.ts';
export { aggregateJob, type AggregateJob, type AggregateOutcome } from './job.ts';
export { uploadSarif, uploadForRun, uploadThenGate, readOnlyTokenEvent, type UploadOptions, type UploadResult } from './upload.ts';
export {
  scannerCommand,
  scannerCommands,
  runAvailableScanners,
  shareCores,
  MALICIOUS_TRIVY,
  type ScannerKind,
  type ScannerCommand,
} from './scanners/run.ts';
export { mergeBase } from './scan.ts';
export * from './install/index.ts';
export {
  SCANNERS,
  scannerById,
  detectObject,
  detectElement,
  runnableScanners,
  namesOf,
  type Scanner,
  type ScannerRun,
  type StreamedArray,
} from './scanners/index.ts';
export {
  findBaseBaseline,
  upsertComment,
  commentBody,
  commentMarker,
  zipEntries,
  extractEntry,
  type ZipEntry,
  workflowFile,
  ARTIFACT_LIMITS,
  type GitHubApi,
  type FoundBaseline,
  pullRequestBaseline,
  commentNewFindings,
  pullRequestNumber,
} from './github-baseline.ts';
