import type { EnvSpec } from '../model.ts';
import { fail, pass, type Outcome } from '../outcome.ts';
import type { CheckContext } from './context.ts';

/** Required variables are set and not empty; one-of variables hold an accepted value. Names only, never values. */
export async function runEnv(spec: EnvSpec, ctx: CheckContext): Promise<Outcome> {
  const problems: string[] = [];
  const missing = spec.required.filter((name) => !ctx.env[name]);
  if (missing.length) problems.push(`not set: ${missing.join(', ')}`);
  for (const [name, accepted] of Object.entries(spec.oneOf)) {
    const value = ctx.env[name];
    if (!value) {
      if (!missing.includes(name)) problems.push(`not set: ${name} (accepted: ${accepted.join(', ')})`);
    } else if (!accepted.includes(value)) {
      problems.push(`${name} is not one of ${accepted.join(', ')}`);
    }
  }
  return problems.length ? fail(problems.join('; ')) : pass();
}
