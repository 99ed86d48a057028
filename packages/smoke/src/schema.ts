/**
 * The suite file schema (zod). Loaded only when a suite file is read, never on the
 * input-validation path. Every message says what is accepted; load.ts adds file:line and the field.
 */
import * as z from 'zod';
import { cutText, parseDuration } from '@pipeline-toolkit/core';
import { parseJsonPath } from './jsonpath.ts';

const DURATION_HELP = 'a duration such as 500ms, 5s or 1m';

const HOUR_MS = 3_600_000;

/** A duration within `min`..`max` milliseconds, named as written (`1ms`, `1h`) in messages. */
function boundedDuration(min: number, max: number, range: string) {
  return z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input === undefined ? `is required: ${DURATION_HELP} (${range})` : `must be ${DURATION_HELP} (${range})`),
    })
    .transform((value, ctx) => {
      const text = String(value);
      const ms = text.length <= 64 ? parseDuration(text) : undefined;
      if (ms === undefined || !Number.isFinite(ms) || ms < min || ms > max) {
        ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HELP} (${range}), got '${shown(text)}'` });
        return z.NEVER;
      }
      return ms;
    });
}

/** Timeouts, intervals and latencies: more than zero, at most an hour (a timer beyond 2^31 ms would fire at once). */
const duration = boundedDuration(1, HOUR_MS, 'from 1ms to 1h');
/** Pauses between attempts: zero or more, at most an hour. */
const pause = boundedDuration(0, HOUR_MS, 'from 0 to 1h');

/** A whole number; numeric text is accepted too, since `${VAR}` interpolation yields text. */
function integer(min: number, max: number, what = 'a whole number') {
  const help = `must be ${what} from ${min} to ${max}`;
  return z.union([z.number(), z.string()], { error: help }).transform((value, ctx) => {
    const number = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(number) || number < min || number > max) {
      ctx.addIssue({ code: 'custom', message: `${help}, got '${shown(String(value))}'` });
      return z.NEVER;
    }
    return number;
  });
}

/** A value quoted in a message: its first 60 characters, cut between grapheme clusters (never half an emoji). */
const shown = (text: string | undefined) => (text === undefined ? text : cutText(text, 60));

/** The message for a value of the wrong type, or for a missing one. */
const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required: ${what}` : `must be ${what}, got ${shown(JSON.stringify(issue.input))}`;

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

const SIZE_UNITS = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;
const SIZE_HELP = 'a size in bytes such as 512, 100KB or 2MB';
const SIZE_MAX = 1024 ** 3;
/** A byte size: a whole number, or a number with B, KB, MB or GB (powers of 1024). */
const size = z.union([z.string(), z.number()], { error: `must be ${SIZE_HELP}` }).transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?) ?(b|kb|mb|gb)?$/i.exec(String(value).trim());
  const bytes = match ? Math.round(Number(match[1]) * SIZE_UNITS[(match[2]?.toLowerCase() ?? 'b') as keyof typeof SIZE_UNITS]) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes > SIZE_MAX) {
    ctx.addIssue({ code: 'custom', message: `must be ${SIZE_HELP} (at most 1GB), got '${shown(String(value))}'` });
    return z.NEVER;
  }
  return bytes;
});

/** A number; numeric text is accepted too, since `${VAR}` interpolation yields text. */
const number = z.union([z.number(), z.string()], { error: 'must be a number' }).transform((value, ctx) => {
  const result = typeof value === 'number' ? value : /^\s*-?\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(result)) {
    ctx.addIssue({ code: 'custom', message: `must be a number, got '${shown(String(value))}'` });
    return z.NEVER;
  }
  return result;
});

/** A record keyed by JSON paths; a bad key is reported under its own name (zod's record keys say only "Invalid key"). */
const byJsonPath = <T extends z.ZodType>(value: T) =>
  z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (parseJsonPath(key) === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: "must be a JSON path such as $.status, $.items[0].id, $.items[*] or $['a key']",
        });
    }
  });

const comparison = strict(
  { '>': number.optional(), '>=': number.optional(), '<': number.optional(), '<=': number.optional(), equals: number.optional() },
  "a number or a comparison such as { '>=': 1 }",
);
const jsonAssert = strict(
  {
    equals: z.unknown().optional(),
    in: z.array(z.unknown(), { error: 'must be a list of accepted values' }).min(1).optional(),
    exists: boolean.optional(),
    count: z.union([integer(0, Number.MAX_SAFE_INTEGER, 'a count'), comparison]).optional(),
    matches: z.string().optional(),
    ...{ '>': number.optional(), '>=': number.optional(), '<': number.optional(), '<=': number.optional() },
  },
  "a JSONPath assertion (equals, in, exists, count, matches, '>', '>=', '<', '<=')",
).refine((a) => Object.values(a).some((v) => v !== undefined), 'needs at least one of equals, in, exists, count, matches, >, >=, <, <=');

const tls = strict(
  {
    'min-days-valid': integer(0, 3650, 'a number of days').optional(),
    hostname: text('the host name the certificate must be valid for').optional(),
  },
  'a tls block (min-days-valid, hostname)',
);

const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CAPTURE_HELP = "a JSON path ($.token), 'header:<Name>' or 'regex:<pattern>'";
const capture = z
  .record(
    z.string().regex(CAPTURE_NAME, 'must be a capture name (letters, digits, _)'),
    z.string({ error: `must be ${CAPTURE_HELP}` }).transform((value, ctx) => {
      if (value.startsWith('$')) {
        if (parseJsonPath(value)) return { from: 'jsonpath' as const, path: value };
      } else if (/^header:[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)) {
        return { from: 'header' as const, name: value.slice('header:'.length) };
      } else if (value.startsWith('regex:') && value.length > 'regex:'.length) {
        return { from: 'regex' as const, pattern: value.slice('regex:'.length) };
      }
      ctx.addIssue({ code: 'custom', message: `must be ${CAPTURE_HELP}, got '${shown(value)}'` });
      return z.NEVER;
    }),
  )
  .optional();

const until = strict(
  { timeout: duration, interval: duration.default(5000) },
  'an until block (timeout, interval), such as { timeout: 2m, interval: 5s }',
).superRefine((value, ctx) => {
  if (value.timeout < 100 || value.timeout > 30 * 60_000)
    ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'must be from 100ms to 30m' });
  if (value.interval < 100 || value.interval > value.timeout)
    ctx.addIssue({ code: 'custom', path: ['interval'], message: 'must be from 100ms to the timeout' });
});

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
    jsonpath: byJsonPath(jsonAssert).optional(),
    'body-contains': textList('a text').optional(),
    'body-matches': textList('a regular expression').optional(),
    header: z.record(z.string(), z.string({ error: 'must be the text the header value must contain' })).optional(),
    'header-matches': z.record(z.string(), z.string({ error: 'must be a regular expression' })).optional(),
    'max-latency': duration.optional(),
    tls: tls.optional(),
    redirects: integer(0, 20, 'a number of redirects').optional(),
    'redirect-chain': z.array(z.string(), { error: 'must be the list of URLs redirected to' }).optional(),
    'final-url': z.string().min(1).optional(),
    'max-size': size.optional(),
    'min-size': size.optional(),
  },
  'an http expect block (status, json, jsonpath, body-contains, body-matches, header, header-matches, max-latency, tls, redirects, redirect-chain, final-url, max-size, min-size)',
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
    'max-redirects': integer(0, 20, 'a number of redirects').default(10),
    expect: expect.default({}),
    capture,
  },
  'an http check (method, path or url, headers, body, follow-redirects, max-redirects, expect, capture)',
)
  .refine(
    (v) => (v.path === undefined) !== (v.url === undefined),
    'an http check needs exactly one of path (relative to the target) or url',
  )
  .superRefine((v, ctx) => {
    for (const field of ['redirects', 'redirect-chain', 'final-url'] as const) {
      if (v.expect[field] !== undefined && !v['follow-redirects'])
        ctx.addIssue({ code: 'custom', path: ['expect', field], message: 'needs follow-redirects: true' });
    }
  });

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
    backoff: pause.optional(),
    until: until.optional(),
    http: http.optional(),
    tcp: tcp.optional(),
    postgres: postgres.optional(),
    env: env.optional(),
    command: command.optional(),
  },
  `a check (name, tags, timeout, retries, backoff, until and one of ${CHECK_KINDS.join(', ')})`,
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
        backoff: pause.optional(),
        concurrency: integer(1, 64).optional(),
      },
      'defaults (timeout, retries, backoff, concurrency)',
    ).default({}),
    health: z.string().optional(),
    'latency-budget': strict({ p95: duration, gate: boolean.default(false) }, 'a latency budget (p95, gate)').optional(),
    checks: z.array(check, { error: expected('a list of checks') }).min(1, 'must list at least one check'),
  },
  'a smoke suite (targets, defaults, health, latency-budget, checks)',
).superRefine((suite, ctx) => {
  const seen = new Set<string>();
  const captured = new Map<string, string>();
  suite.checks.forEach((c, index) => {
    if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['checks', index, 'name'], message: `duplicate check name '${c.name}'` });
    seen.add(c.name);
    for (const name of Object.keys(c.http?.capture ?? {})) {
      const other = captured.get(name);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['checks', index, 'http', 'capture', name],
          message: `'${name}' is already captured by check '${other}'`,
        });
      captured.set(name, c.name);
    }
  });
  if (suite.health !== undefined && !seen.has(suite.health)) {
    ctx.addIssue({ code: 'custom', path: ['health'], message: `names no check; checks: ${[...seen].join(', ')}` });
  }
});

export type SuiteFile = z.output<typeof suiteSchema>;
export type CheckFile = SuiteFile['checks'][number];
