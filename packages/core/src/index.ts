export { runAction, actionContext, type ActionContext } from './action.ts';
export { formatCommand, escapeData, escapeProperty, type AnnotationProperties } from './commands.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { cutText } from './graphemes.ts';
export { InputError, GateError, ExternalError, errorMessage, errorMessageWithCause } from './errors.ts';
export {
  exec,
  findOnPath,
  outputTail,
  scrubbedEnv,
  scrubbing,
  CREDENTIAL_VARIABLES,
  type Exec,
  type ExecOptions,
  type ExecResult,
} from './exec.ts';
export { Inputs, envInputs, mapInputs, type InputSource } from './inputs.ts';
export { ActionsLogger, ConsoleLogger, MemoryLogger, type Logger } from './logger.ts';
export { ActionOutputs, MemoryOutputs, ActionState, MemoryState, outputValue, type OutputSink, type StateStore } from './outputs.ts';
export { Redactor, redactPatterns, redactDeep, looksSecret, REDACTED } from './redact.ts';
export {
  table,
  details,
  mermaid,
  codeBlock,
  heading,
  link,
  escapeMarkdown,
  inertMarkdown,
  ActionSummary,
  MemorySummary,
  type Cell,
  type SummarySink,
} from './summary.ts';
export { visibleControls, singleLine, quoteValue, formatBytes, isCommandLike, stripChar, own, SHOWN_CHARS } from './text.ts';
export {
  requestPolicy,
  stepCancellation,
  endpointOf,
  guardedFetch,
  withinPolicy,
  startDeadline,
  requestFailure,
  RequestTimeoutError,
  CancelledError,
  DEFAULT_REQUEST_POLICY,
  DEFAULT_REQUEST_TIMEOUT,
  DEFAULT_REQUEST_DEADLINE,
  type RequestPolicy,
  type Deadline,
} from './request.ts';
export {
  isInside,
  resolveInside,
  existingPath,
  writablePath,
  writeRoots,
  jobRoots,
  writeFileInside,
  WRITE_FLAGS,
  typeOf,
  readTextFile,
  readRepositoryText,
  refusalText,
  type FileRefusal,
  type PathRule,
} from './paths.ts';
export { markdownToText, textWidth } from './terminal.ts';
