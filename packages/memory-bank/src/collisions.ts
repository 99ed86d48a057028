import path from 'node:path';
import { adrId } from './adr.ts';
import type { Bank } from './bank.ts';
import type { GitHub, Repository } from './github.ts';
import type { Problem } from './lint.ts';
import { collisions, pullRequestAdrs, pullRequestNumbers, type UsedNumber } from './numbering.ts';

/**
 * Lint problems for ADR numbers that another source uses for a different file (open pull
 * requests, other branches): both would be merged under one number. Reported on the local file.
 */
export function collisionProblemsFrom(bank: Bank, bankPath: string, elsewhere: readonly UsedNumber[]): Problem[] {
  const local = bank.adrs.map((a) => ({ number: a.number, file: a.file, source: 'local' }));
  return collisions(local, elsewhere).map(({ local: mine, other }) => ({
    file: path.posix.join(bankPath, mine.file),
    line: bank.adrs.find((a) => a.file === mine.file)?.titleLine ?? 1,
    rule: 'number',
    message: `${adrId(mine.number)} is also taken by ${other.file} in ${other.source}; renumber one of them ('pipeline-toolkit adr renumber ${mine.number} <free number>')`,
  }));
}

/**
 * For a pull request's run: the ADRs this pull request adds whose number another open pull
 * request also adds. Runs that are not for a pull request check nothing here (the branch itself
 * is checked for duplicates by lintBank), so a push to main never fails for someone else's PR.
 */
export async function collisionProblems(
  bank: Bank,
  bankPath: string,
  github: GitHub,
  repository: Repository,
  currentPr: number,
): Promise<Problem[]> {
  const mine = await pullRequestAdrs(github, repository, bankPath, currentPr);
  if (mine.length === 0) return [];
  const others = await pullRequestNumbers(github, repository, bankPath, { exclude: currentPr });
  const added = { ...bank, adrs: bank.adrs.filter((a) => mine.some((m) => m.file === a.file)) };
  return collisionProblemsFrom(added, bankPath, others);
}
