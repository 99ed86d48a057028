import path from 'node:path';
import type { Bank } from './bank.ts';
import { updateDecisionLog } from './decision-index.ts';
import type { Language } from './language.ts';
import {
  deployEntry,
  pullRequestEntry,
  recordedDate,
  updateCurrentState,
  upsertEntry,
  type DeployRecord,
  type MergedPullRequest,
} from './progress.ts';
import type { Change } from './store.ts';
import { bankTemplates } from './templates.ts';

/** The changes CI makes to a bank, as edits any store (files, commit, pull request) can apply. */

const file = (bankPath: string, name: string) => path.posix.join(bankPath.replace(/\\/g, '/'), name);

/** progress.md gets the deploy entry; activeContext.md's current state follows it (same date). */
export function deployChange(record: DeployRecord, bankPath: string, language: Language): Change {
  const key = deployEntry(record, language).key;
  let date = record.date;
  return {
    key: `deploy-${record.environment}-${record.runId}`.replace(/[^A-Za-z0-9._-]+/g, '-'),
    message: `memory-bank: record deploy of ${record.version} to ${record.environment} (run ${record.runId})`,
    edits: [
      {
        path: file(bankPath, 'progress.md'),
        apply: (current) => {
          date = recordedDate(current, 'deploys', key) ?? record.date;
          return upsertEntry(current, 'deploys', deployEntry({ ...record, date }, language), language);
        },
      },
      { path: file(bankPath, 'activeContext.md'), apply: (current) => updateCurrentState(current, { ...record, date }, language) },
    ],
  };
}

export function mergedPullRequestChange(pull: MergedPullRequest, bankPath: string, language: Language): Change {
  const key = pullRequestEntry(pull).key;
  return {
    key: `pr-${pull.number}`,
    message: `memory-bank: record merged pull request #${pull.number}`,
    edits: [
      {
        path: file(bankPath, 'progress.md'),
        apply: (current) => {
          const date = recordedDate(current, 'merged-prs', key) ?? pull.date;
          return upsertEntry(current, 'merged-prs', pullRequestEntry({ ...pull, date }), language);
        },
      },
    ],
  };
}

/** decisionLog.md's index regenerated from the bank's ADRs (read from the work tree). */
export function indexChange(bank: Bank, bankPath: string, date: string): Change {
  return {
    key: 'index',
    message: 'memory-bank: regenerate the ADR index',
    edits: [
      {
        path: file(bankPath, 'decisionLog.md'),
        apply: (current) => updateDecisionLog(current ?? bankTemplates(bank.language, date)['decisionLog.md'], bank.adrs, bank.language),
      },
    ],
  };
}
