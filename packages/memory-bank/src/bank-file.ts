import { InputError, readTextFile, refusalText } from '@pipeline-toolkit/core';

/**
 * The largest memory-bank file that is read: each is read whole, and knowledge files are far
 * smaller (progress.md after years of CI entries, a few MB). A larger one (a log or a report put in
 * the folder, or a hostile one) is refused by its size, before it is read.
 */
export const MAX_BANK_FILE_BYTES = 64 * 1024 * 1024;

/** The text of a Markdown file of a memory bank, or of records to import (`input` names where it came from). */
export async function readBankText(file: string, input: string): Promise<string> {
  return readTextFile(file, MAX_BANK_FILE_BYTES, (refusal) => {
    throw new InputError(
      input,
      refusal.kind === 'too-large'
        ? `'${file}' is ${refusal.size}; memory-bank files are read whole, up to ${refusal.limit} each. Keep logs and generated reports outside the memory bank.`
        : `'${file}' ${refusalText(refusal, 'a memory-bank file')}.`,
    );
  });
}
