import { ExternalError, GateError, InputError } from '@pipeline-toolkit/core';
import { ReportError } from '../json.ts';
import type { SecretIndex } from '../secrets.ts';

/**
 * An error as it crosses a thread boundary (see README.md, "Errors"): plain data that
 * postMessage copies as it is, turned back into the typed error on the other side, so that the
 * user sees the same error — naming the same input, with the same exit code — whichever thread
 * met it.
 *
 * - `input`: a report was not what its input accepts; `input` names the input (`trivy-report`),
 *   `message` is the InputError's message (it names the input's label and the report file);
 * - `gate`, `external`: a GateError or ExternalError;
 * - `internal`: anything else (a bug): its message, with the error's name when it has one.
 */
export interface ThreadErrorRecord {
  kind: 'input' | 'gate' | 'external' | 'internal';
  input?: string;
  message: string;
}

/** Names a report's input in errors: what a bad report becomes in either thread. */
export interface InputOf {
  input: string;
  label: string;
}

/**
 * A refused report as the InputError that names its input (either thread, and the one-thread
 * path, throw the same). The message names the file: it is redacted with the secrets of the
 * reports read before (and the token formats), as every other output.
 */
export function reportInputError(source: InputOf, error: unknown, secrets: SecretIndex): unknown {
  return error instanceof ReportError ? new InputError(source.input, secrets.redact(`${source.label}: ${error.message}`)) : error;
}

/** An InputError from the shard, redacted again with the secrets of the coordinator's reports (read before the shard's). */
export function redactInputError(error: unknown, secrets: SecretIndex): unknown {
  return error instanceof InputError ? new InputError(error.input, secrets.redact(error.message)) : error;
}

/** The record of an error, to post to another thread. */
export function toRecord(error: unknown): ThreadErrorRecord {
  if (error instanceof InputError) return { kind: 'input', input: error.input, message: error.message };
  if (error instanceof GateError) return { kind: 'gate', message: error.message };
  if (error instanceof ExternalError) return { kind: 'external', message: error.message };
  if (error instanceof Error)
    return { kind: 'internal', message: error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message };
  return { kind: 'internal', message: String(error) };
}

/** The typed error a record stands for. */
export function fromRecord(record: ThreadErrorRecord): Error {
  switch (record.kind) {
    case 'input':
      return new InputError(record.input ?? '', record.message);
    case 'gate':
      return new GateError(record.message);
    case 'external':
      return new ExternalError(record.message);
    default:
      return new Error(record.message);
  }
}
