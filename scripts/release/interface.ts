/**
 * The public interface of the toolkit, as a user pins it: every action.yml (the root action and
 * actions/<name>/action.yml) with its inputs and outputs, and the reusable workflow
 * (.github/workflows/pipeline.yml, `on: workflow_call`) with its inputs, outputs and secrets.
 *
 * Two interfaces are compared to find what breaks a caller: something removed (a renamed input is
 * a removed one plus a new one), an input or secret that becomes required without a default, or a
 * workflow input whose type changes. Additions and description changes break nobody.
 */
import { parse } from 'yaml';

export { VERSION, parseVersion, compareVersions, bumpKind, printable, type Bump } from './version.ts';

export interface InputShape {
  required: boolean;
  /** Whether a default is declared (a required input with a default is still optional to callers). */
  hasDefault: boolean;
  /** The reusable workflow's input type (string, boolean, number); absent for actions. */
  type?: string;
}

export interface Surface {
  inputs: Record<string, InputShape>;
  outputs: string[];
  /** Only the reusable workflow has secrets. */
  secrets?: Record<string, { required: boolean }>;
}

export interface Interface {
  /** The version this interface was recorded at (the baseline) or is being released as. */
  version: string;
  /** Keys: `action.yml`, `actions/<name>/action.yml`, `.github/workflows/pipeline.yml`. */
  surfaces: Record<string, Surface>;
}

export const WORKFLOW = '.github/workflows/pipeline.yml';

/** Reads a file of a tree (working tree or a git tag): its text, or undefined when it is absent. */
export type TreeReader = {
  read(file: string): string | undefined;
  /** The action folder names under actions/ that have an action.yml. */
  actionNames(): string[];
};

type Yaml = Record<string, unknown>;
const isObject = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseYaml(file: string, text: string): Yaml {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`, { cause: error });
  }
  if (!isObject(doc)) throw new Error(`${file}: expected a mapping at the top level`);
  return doc;
}

function entries(file: string, section: string, value: unknown): [string, Yaml][] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw new Error(`${file}: '${section}' must be a mapping`);
  return Object.entries(value).map(([name, spec]) => [name, isObject(spec) ? spec : {}]);
}

const hasDefault = (spec: Yaml) => spec['default'] !== undefined && spec['default'] !== null;

function actionSurface(file: string, text: string): Surface {
  const doc = parseYaml(file, text);
  return {
    inputs: Object.fromEntries(
      entries(file, 'inputs', doc['inputs']).map(([name, spec]) => [
        name,
        { required: spec['required'] === true, hasDefault: hasDefault(spec) },
      ]),
    ),
    outputs: entries(file, 'outputs', doc['outputs'])
      .map(([name]) => name)
      .sort(),
  };
}

function workflowSurface(file: string, text: string): Surface {
  const doc = parseYaml(file, text);
  // YAML 1.2 keeps `on` a string key (YAML 1.1 parsers read it as true).
  const on = doc['on'] ?? doc['true'];
  const call = isObject(on) ? on['workflow_call'] : undefined;
  if (!isObject(call)) throw new Error(`${file}: no 'on.workflow_call' (the reusable workflow's interface)`);
  return {
    inputs: Object.fromEntries(
      entries(file, 'on.workflow_call.inputs', call['inputs']).map(([name, spec]) => [
        name,
        {
          required: spec['required'] === true,
          hasDefault: hasDefault(spec),
          type: typeof spec['type'] === 'string' ? spec['type'] : 'string',
        },
      ]),
    ),
    outputs: entries(file, 'on.workflow_call.outputs', call['outputs'])
      .map(([name]) => name)
      .sort(),
    secrets: Object.fromEntries(
      entries(file, 'on.workflow_call.secrets', call['secrets']).map(([name, spec]) => [name, { required: spec['required'] === true }]),
    ),
  };
}

/** The interface of one tree. */
export function readInterface(tree: TreeReader, version: string): Interface {
  const surfaces: Record<string, Surface> = {};
  const root = tree.read('action.yml');
  if (root !== undefined) surfaces['action.yml'] = actionSurface('action.yml', root);
  for (const name of tree.actionNames()) {
    const file = `actions/${name}/action.yml`;
    const text = tree.read(file);
    if (text !== undefined) surfaces[file] = actionSurface(file, text);
  }
  const workflow = tree.read(WORKFLOW);
  if (workflow !== undefined) surfaces[WORKFLOW] = workflowSurface(WORKFLOW, workflow);
  return { version, surfaces };
}

/** An input a caller can leave out: not required, or required with a default (GitHub fills it in). */
const optional = (input: InputShape) => !input.required || input.hasDefault;

/** What would break a caller pinned to `before` who moves to `after`, one sentence each. */
export function breakingChanges(before: Interface, after: Interface): string[] {
  const found: string[] = [];
  for (const [file, old] of Object.entries(before.surfaces)) {
    const now = after.surfaces[file];
    if (!now) {
      found.push(`${file} was removed`);
      continue;
    }
    for (const [name, input] of Object.entries(old.inputs)) {
      const next = now.inputs[name];
      if (!next) found.push(`${file}: input '${name}' was removed or renamed`);
      else if (optional(input) && !optional(next)) found.push(`${file}: input '${name}' became required`);
      else if (input.type && next.type && input.type !== next.type)
        found.push(`${file}: input '${name}' changed type from ${input.type} to ${next.type}`);
    }
    for (const [name, input] of Object.entries(now.inputs))
      if (!old.inputs[name] && !optional(input)) found.push(`${file}: new input '${name}' is required and has no default`);
    for (const name of old.outputs) if (!now.outputs.includes(name)) found.push(`${file}: output '${name}' was removed or renamed`);
    for (const [name, secret] of Object.entries(old.secrets ?? {})) {
      const next = now.secrets?.[name];
      if (!next) found.push(`${file}: secret '${name}' was removed or renamed`);
      else if (!secret.required && next.required) found.push(`${file}: secret '${name}' became required`);
    }
    for (const [name, secret] of Object.entries(now.secrets ?? {}))
      if (!old.secrets?.[name] && secret.required) found.push(`${file}: new secret '${name}' is required`);
  }
  return found;
}
