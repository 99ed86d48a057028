export {
  ADR_FILE,
  adrFileName,
  adrId,
  adrRefs,
  formatNumber,
  parseAdr,
  parseDate,
  parseHeading,
  plainText,
  renderAdr,
  slugify,
  type Adr,
} from './adr.ts';
export { foreignRecords, planImport, rewriteLinks, type ImportMove, type ImportPlan } from './import.ts';
export { ciSummary, COMMANDS, lintGate, MODES, readCiInputs, runCi, type CiDeps, type CiRequest, type CiResult } from './ci.ts';
export { runContext, type RunContext } from './run-context.ts';
export { collisionProblems, collisionProblemsFrom } from './collisions.ts';
export { findAdr, initBank, readBank, today, type Bank, type InitResult } from './bank.ts';
export { blockMarkers, readBlock, type BlockName } from './blocks.ts';
export { indexIsCurrent, renderIndex, updateDecisionLog } from './decision-index.ts';
export { createGitHub, GitHubError, parseRepository, repositoryFromRemote, type GitHub, type Repository } from './github.ts';
export { detectLanguage, LANGUAGES, parseStatus, STATUSES, VOCABULARY, type Language, type Status } from './language.ts';
export { DEFAULT_BUDGETS, lintBank, type Problem } from './lint.ts';
export { branchNumbers, collisions, gitLocation, nextNumber, pullRequestAdrs, pullRequestNumbers, type UsedNumber } from './numbering.ts';
export {
  checkTitle,
  createAdr,
  importAdrs,
  renumberAdr,
  setAdrStatus,
  TITLE_MAX,
  withBankLock,
  writeIndex,
  type NewAdrOptions,
  type Written,
} from './operations.ts';
export {
  deployEntry,
  pullRequestEntry,
  RESULTS,
  updateCurrentState,
  upsertEntry,
  type DeployRecord,
  type MergedPullRequest,
  type Result,
} from './progress.ts';
export { deployChange, indexChange, mergedPullRequestChange } from './record.ts';
export { CommitStore, LocalStore, PullRequestStore, type ApplyResult, type BankStore, type Change, type FileEdit } from './store.ts';
export { BANK_FILES, bankTemplates } from './templates.ts';
