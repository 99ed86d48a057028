import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Inputs, InputError, MemoryLogger, mapInputs } from '@pipeline-toolkit/core';
import { freePort, json, loopbackCertificate, startServer, tokenKubeconfig, type LoopbackServer } from '@pipeline-toolkit/testing';
import { connect } from '../src/connection.ts';
import { readDeployInputs } from '../src/inputs.ts';

/** What a user sees when the API server cannot be used: real client-node requests against loopback servers. */
let dir: string;
let denying: LoopbackServer;
let tlsServer: Server;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ptk-cluster-errors-'));
  // The API server's own Status bodies for a bad token and for missing RBAC.
  denying = await startServer((req, res) =>
    req.headers['authorization'] === 'Bearer expired'
      ? json(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 })
      : json(res, 403, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message:
            'services "web" is forbidden: User "system:serviceaccount:ci:deployer" cannot get resource "services" in API group "" in the namespace "shop"',
          reason: 'Forbidden',
          details: { name: 'web', kind: 'services' },
          code: 403,
        }),
  );
  const { key, cert } = loopbackCertificate();
  tlsServer = createServer({ key, cert }, (_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await denying.close();
  await new Promise((resolve) => tlsServer.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function kubeconfigFile(name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

async function failure(file: string): Promise<Error> {
  const connection = await connect({ kind: 'kubeconfig-file', path: file }, new MemoryLogger());
  return connection.api.readService('shop', 'web').then(
    () => {
      throw new Error('the request succeeded');
    },
    (error: unknown) => error as Error,
  );
}

describe('API server errors name the address, the kubeconfig and the cause', () => {
  it('connection refused', async () => {
    const port = await freePort();
    const file = await kubeconfigFile('refused.yaml', tokenKubeconfig(`https://127.0.0.1:${port}`, 't0ken'));
    const error = await failure(file);
    expect(error.message).toBe(
      `Cannot reach the Kubernetes API server at https://127.0.0.1:${port} (from kubeconfig ${file}): connection refused — nothing listens at that address; is the cluster running, and is this the right context? (ECONNREFUSED).`,
    );
  });

  it('an untrusted certificate (TLS)', async () => {
    const server = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
    const strict = tokenKubeconfig(server, 't0ken').replace(', insecure-skip-tls-verify: true', '');
    const file = await kubeconfigFile('tls.yaml', strict);
    const error = await failure(file);
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot reach the Kubernetes API server at ${server.replace(/\./g, '\\.')} \\(from kubeconfig ${file.replace(/\./g, '\\.')}\\): TLS failed \\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE): `,
      ),
    );
    expect(error.message).toContain('certificate-authority(-data)');
  });

  it('401: the credentials', async () => {
    const file = await kubeconfigFile('expired.yaml', tokenKubeconfig(denying.url, 'expired'));
    const error = await failure(file);
    expect(error.message).toBe(
      `The Kubernetes API server at ${denying.url} (from kubeconfig ${file}) refused the credentials (401 Unauthorized): the token or client certificate in kubeconfig ${file} is missing, expired or not for this cluster.`,
    );
  });

  it('403: what was denied and which permissions the deploy needs', async () => {
    const file = await kubeconfigFile('forbidden.yaml', tokenKubeconfig(denying.url, 'valid'));
    const error = await failure(file);
    expect(error.message).toContain(
      `The Kubernetes API server at ${denying.url} (from kubeconfig ${file}) denied the request (403 Forbidden). The server said: services "web" is forbidden: `,
    );
    expect(error.message).toContain('User "system:serviceaccount:ci:deployer" cannot get resource "services"');
    expect(error.message).toContain('services: get, list, create, patch; deployments (apps): list, patch');
    expect(error.message).not.toContain('valid');
  });
});

describe('the kubeconfig, as kubectl finds it', () => {
  const inputs = (values: Record<string, string>) =>
    new Inputs(mapInputs({ release: 'web', chart: './chart', ...values }), (n) => `--${n}`);
  const read = (values: Record<string, string>, env: NodeJS.ProcessEnv) => readDeployInputs(inputs(values), env, dir);

  it('uses the first existing file of KUBECONFIG, else ~/.kube/config', async () => {
    const home = path.join(dir, 'home');
    await mkdir(path.join(home, '.kube'), { recursive: true });
    const standard = await kubeconfigFile('home/.kube/config', tokenKubeconfig('https://127.0.0.1:1', 'x'));
    const listed = await kubeconfigFile('listed.yaml', tokenKubeconfig('https://127.0.0.1:2', 'y'));
    expect(read({}, { HOME: home })).toMatchObject({
      source: { kind: 'kubeconfig-file', path: standard },
      sourceLabel: `kubeconfig ${standard} (the default, as kubectl)`,
    });
    const KUBECONFIG = [path.join(dir, 'absent.yaml'), listed].join(path.delimiter);
    expect(read({}, { HOME: home, KUBECONFIG })).toMatchObject({
      source: { kind: 'kubeconfig-file', path: listed },
      sourceLabel: `kubeconfig ${listed} (from KUBECONFIG)`,
    });
    expect(read({ kubeconfig: '~/.kube/config' }, { HOME: home })).toMatchObject({ source: { kind: 'kubeconfig-file', path: standard } });
  });

  it('says where it looked when there is none, and that a named file does not exist — in the CLI wording', () => {
    const empty = path.join(dir, 'empty-home');
    expect(() => read({}, { HOME: empty })).toThrow(
      new InputError(
        'kubeconfig',
        `Say which cluster: --cluster-name and --aws-region for EKS, or --kubeconfig (a path, or the kubeconfig itself, raw or base64, e.g. from a KUBE_CONFIG secret); neither KUBECONFIG nor ${path.join(empty, '.kube', 'config')} is there.`,
      ),
    );
    expect(() => read({}, { HOME: empty, KUBECONFIG: '/nope/a:/nope/b' })).toThrow(
      /KUBECONFIG names \/nope\/a:\/nope\/b, and none of it exists\.$/,
    );
    expect(() => read({ kubeconfig: './missing/kube.yaml' }, {})).toThrow(
      `--kubeconfig: the kubeconfig file ${path.join(dir, 'missing/kube.yaml')} does not exist. Give a path to a kubeconfig, or its content (raw or base64).`,
    );
    expect(() => read({ kubeconfig: 'bm90IGEga3ViZWNvbmZpZw' }, {})).toThrow(
      /^--kubeconfig must be a kubeconfig \(YAML as kubectl writes it/,
    );
  });
});
