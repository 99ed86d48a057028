/**
 * actions/attest-build-provenance, offline: the subjects (subject-path globs, as the real action
 * reads them, at most 1024) with their sha256, in an in-toto statement with a SLSA provenance v1
 * predicate, posted unsigned as a Sigstore bundle to ${GITHUB_API_URL}/repos/{repo}/attestations.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, globSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const input = (name: string) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message: string): never => {
  console.log(`::error title=attest-build-provenance (local stand-in)::${message}`);
  process.exit(1);
};
const env = (name: string) => process.env[name] ?? '';

const patterns = input('subject-path')
  .split(/[\n,]/)
  .map((l) => l.trim())
  .filter(Boolean);
if (patterns.length === 0) fail('subject-path is empty.');
const files = [...new Set(patterns.flatMap((p) => globSync(p)))].filter((f) => statSync(f).isFile()).sort();
if (files.length === 0) fail(`no file matches subject-path (${patterns.join(', ')}).`);
if (files.length > 1024) fail(`${files.length} subjects; the limit is 1024.`);

const subject = files.map((f) => ({ name: f, digest: { sha256: createHash('sha256').update(readFileSync(f)).digest('hex') } }));
const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject,
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: { workflow: { ref: env('GITHUB_REF'), repository: `${env('GITHUB_SERVER_URL')}/${env('GITHUB_REPOSITORY')}` } },
      resolvedDependencies: [
        {
          uri: `git+${env('GITHUB_SERVER_URL')}/${env('GITHUB_REPOSITORY')}@${env('GITHUB_REF')}`,
          digest: { gitCommit: env('GITHUB_SHA') },
        },
      ],
    },
    runDetails: { builder: { id: 'local stand-in (unsigned)' }, metadata: { invocationId: env('GITHUB_RUN_ID') } },
  },
};
const bundle = {
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: {},
  dsseEnvelope: {
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
    signatures: [],
  },
};
const bundlePath = path.join(env('RUNNER_TEMP') || '.', 'attestation.json');
writeFileSync(bundlePath, JSON.stringify(bundle));

let api = env('GITHUB_API_URL');
while (api.endsWith('/')) api = api.slice(0, -1);
const response = await fetch(`${api}/repos/${env('GITHUB_REPOSITORY')}/attestations`, {
  method: 'POST',
  headers: { authorization: `Bearer ${input('github-token')}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
  body: JSON.stringify({ bundle }),
  signal: AbortSignal.timeout(30_000),
}).catch((error: unknown) => fail(`POST ${api}/…/attestations: ${String(error)}`));
const answer = (await response.json().catch(() => ({}))) as { id?: number };
if (response.status !== 201 || typeof answer.id !== 'number') fail(`the attestations API answered HTTP ${response.status}.`);
console.log(`Attested ${subject.length} subjects (attestation ${answer.id}).`);
appendFileSync(env('GITHUB_OUTPUT'), `bundle-path=${bundlePath}\nattestation-id=${answer.id}\n`);
