import { appendKeyValue } from './file-commands.ts';
import type { Redactor } from './redact.ts';

/** Output values: strings as they are, everything else as JSON (objects, arrays, numbers, booleans). */
export function outputValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

export interface OutputSink {
  set(values: Record<string, unknown>): Promise<void>;
}

/** Step outputs through GITHUB_OUTPUT, redacted. */
export class ActionOutputs implements OutputSink {
  readonly #redactor: Redactor;
  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }
  async set(values: Record<string, unknown>): Promise<void> {
    for (const [name, value] of Object.entries(values)) appendKeyValue('OUTPUT', name, this.#redactor.redact(outputValue(value)));
  }
}

/** Outputs collected in memory (CLI, tests). */
export class MemoryOutputs implements OutputSink {
  readonly values: Record<string, string> = {};
  async set(values: Record<string, unknown>): Promise<void> {
    for (const [name, value] of Object.entries(values)) this.values[name] = outputValue(value);
  }
}

/**
 * State shared between an action's main and post steps (GITHUB_STATE / STATE_*), so that a post step
 * can finish or undo what main started. Values are JSON.
 */
export interface StateStore {
  get<T>(name: string): T | undefined;
  save(name: string, value: unknown): Promise<void>;
}

export class ActionState implements StateStore {
  get<T>(name: string): T | undefined {
    const raw = process.env[`STATE_${name}`];
    if (!raw) return undefined;
    return JSON.parse(raw) as T;
  }
  async save(name: string, value: unknown): Promise<void> {
    appendKeyValue('STATE', name, JSON.stringify(value));
  }
}

export class MemoryState implements StateStore {
  readonly values = new Map<string, string>();
  get<T>(name: string): T | undefined {
    const raw = this.values.get(name);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async save(name: string, value: unknown): Promise<void> {
    this.values.set(name, JSON.stringify(value));
  }
}
