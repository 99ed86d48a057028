/**
 * The suite file schema (zod). Loaded only when a suite file is read, never on the
 * input-validation path. Every message says what is accepted; load.ts adds file:line and the field.
 */
import * as z from 'zod';
import { parseDuration } from '@pipeline-toolkit/core';

const DURATION_HELP = 'a duration such as 500ms, 5s or 1m';

const duration = z.union([z.string(), z.number()], { error: `must be ${DURATION_HELP}` }).transform((value, ctx) => {
  const ms = parseDuration(String(value));
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HELP}, got '${value}'` });
    return z.NEVER;
  }
  return ms;
});

/** A whole number; numeric text is accepted too, since `${VAR}` interpolation yields text. */
function integer(min: number, max: number, what = 'a whole number') {
  const help = `must be ${what} from ${min} to ${max}`;
  return z.union([z.number(), z.string()], { error: help }).transform((value, ctx) => {
    const number = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(number) || number < min || number > max) {
      ctx.addIssue({ code: 'custom', message: `${help}, got '${value}'` });
      return z.NEVER;
    }
    return number;
  });
}

/** The message for a value of the wrong type, or for a missing one. */
const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required: ${what}` : `must be ${what}, got ${JSON.stringify(issue.input)?.slice(0, 60)}`;

/** true or false; the text `true`/`false` is accepted too, since `${VAR}` interpolation yields text. */
const boolean = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: expected('true or false') })
  .transform((value) => value === true || value === 'true');

const text = (what: string) => z.string({ error: expected(what) }).min(1, `must be ${what} (not empty)`);
const textList = (what: string) =>
  z.union([z.string(), z.array(z.string())], { error: `must be ${what} or a list of them` }).transform((v) => (Array.isArray(v) ? v : [v]));
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (letters, digits, _)');
const httpUrl = (what: string) =>
  z.string({ error: `must be ${what}` }).refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be ${what} (http:// or https://)`);

/** An object that refuses unknown fields, naming the accepted ones. */
function strict<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; accepted: ${Object.keys(shape).join(', ')}`;
      }
      if (issue.input === undefined) return `${what} is required`;
      return `must be ${what} (a mapping)`;
    },
  });
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const expect = strict(
  {
    status: z
      .union([integer(100, 599, 'an HTTP status code'), z.array(integer(100, 599, 'an HTTP status code')).min(1)], {
        error: expected('an HTTP status code (100-599) or a list of them'),
      })
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional(),
    json: z.record(z.string().regex(/^\$/, "must be a JSON path starting with '$', such as $.status"), z.unknown()).optional(),
    'body-contains': textList('a text').optional(),
    header: z.record(z.string(), z.string({ error: 'must be the text the header value must contain' })).optional(),
    'max-latency': duration.optional(),
  },
  'an http expect block (status, json, body-contains, header, max-latency)',
);

const http = strict(
  {
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(METHODS, { error: `must be one of ${METHODS.join(', ')}` }))
      .default('GET'),
    path: z.string().regex(/^\//, "must start with '/' (relative to the target), such as /health").optional(),
    url: httpUrl('an absolute URL').optional(),
    headers: z.record(z.string(), z.string({ error: 'must be text' })).default({}),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], { error: 'must be text or a JSON value' })
      .optional(),
    'follow-redirects': boolean.default(false),
    expect: expect.default({}),
  },
  'an http check (method, path or url, headers, body, follow-redirects, expect)',
).refine(
  (v) => (v.path === undefined) !== (v.url === undefined),
  'an http check needs exactly one of path (relative to the target) or url',
);

const port = integer(1, 65535, 'a port number');

const tcp = strict({ host: text('a host name'), port }, 'a tcp check (host, port)');

const postgres = strict(
  {
    host: text('a host name'),
    port: port.default(5432),
    database: text('a database name'),
    user: z.string().optional(),
    password: z.string().optional(),
    ssl: boolean.default(false),
  },
  'a postgres check (host, port, database, user, password, ssl)',
);

const env = strict(
  {
    required: z.array(envName, { error: 'must be a list of variable names' }).default([]),
    'one-of': z.record(envName, z.array(z.string()).min(1, 'must list at least one accepted value')).default({}),
  },
  'an env check (required, one-of)',
);

const command = strict(
  {
    run: z
      .array(z.string(), { error: 'must be the command as a list of arguments, such as [pytest, src/test_smoke.py, -m, critical]' })
      .min(1),
    junit: text('the path of the JUnit XML file the command writes'),
    cwd: z.string().optional(),
  },
  'a command check (run, junit, cwd)',
);

export const CHECK_KINDS = ['http', 'tcp', 'postgres', 'env', 'command'] as const;

const check = strict(
  {
    name: text('the check name'),
    tags: z
      .array(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a tag such as smoke, critical or flaky'), { error: 'must be a list of tags' })
      .default([]),
    timeout: duration.optional(),
    retries: integer(0, 10).optional(),
    backoff: duration.optional(),
    http: http.optional(),
    tcp: tcp.optional(),
    postgres: postgres.optional(),
    env: env.optional(),
    command: command.optional(),
  },
  `a check (name, tags, timeout, retries, backoff and one of ${CHECK_KINDS.join(', ')})`,
).superRefine((value, ctx) => {
  const kinds = CHECK_KINDS.filter((kind) => value[kind] !== undefined);
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `a check needs exactly one of ${CHECK_KINDS.join(', ')}; found ${kinds.length ? kinds.join(', ') : 'none'}`,
    });
  }
});

export const suiteSchema = strict(
  {
    targets: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a target name'), z.string({ error: 'must be a URL' })).optional(),
    defaults: strict(
      {
        timeout: duration.optional(),
        retries: integer(0, 10).optional(),
        backoff: duration.optional(),
        concurrency: integer(1, 64).optional(),
      },
      'defaults (timeout, retries, backoff, concurrency)',
    ).default({}),
    health: z.string().optional(),
    checks: z.array(check, { error: expected('a list of checks') }).min(1, 'must list at least one check'),
  },
  'a smoke suite (targets, defaults, health, checks)',
).superRefine((suite, ctx) => {
  const seen = new Set<string>();
  suite.checks.forEach((c, index) => {
    if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['checks', index, 'name'], message: `duplicate check name '${c.name}'` });
    seen.add(c.name);
  });
  if (suite.health !== undefined && !seen.has(suite.health)) {
    ctx.addIssue({ code: 'custom', path: ['health'], message: `names no check; checks: ${[...seen].join(', ')}` });
  }
});

export type SuiteFile = z.output<typeof suiteSchema>;
export type CheckFile = SuiteFile['checks'][number];
