import { existsSync } from 'node:fs';
import path from 'node:path';
import { existingPath, InputError, jobRoots, requestPolicy, type Inputs, type Logger, type RequestPolicy } from '@pipeline-toolkit/core';
import type { DeploySpec, KeepPrevious, Mode } from './bluegreen/model.ts';
import { AUTOSCALED_IDLE } from './bluegreen/autoscale.ts';
import { ROUTER_KINDS, type RouterConfig } from './bluegreen/routers/router.ts';
import { decodeKubeconfig, type ClusterSource } from './source.ts';

export const MODES = ['full', 'deploy', 'promote', 'rollback'] as const satisfies readonly Mode[];
export const KEEP_PREVIOUS = ['scaled-down', 'running', 'uninstall'] as const satisfies readonly KeepPrevious[];

/** Everything a deploy needs, validated: what the action and the CLI read from their inputs/flags. */
export interface DeployOptions {
  source: ClusterSource;
  /** Where the source came from, for messages and the plan (never the secret itself). */
  sourceLabel: string;
  mode: Mode;
  spec: DeploySpec;
  helmBinary: string;
  smokeConfig?: string;
  /** The metrics gate's YAML (Prometheus queries); loaded and validated by loadGates() before anything is contacted. */
  metricsConfig?: string;
  /** promote-after: the post-switch window every gate must stay green for before the switch is promoted. */
  promoteAfterMs?: number;
  previewUrl?: string;
  productionUrl?: string;
  githubToken?: string;
  environment?: string;
  dryRun: boolean;
  /** Every Kubernetes, AWS and GitHub request: request-timeout and request-deadline, each at most the deploy's timeout. */
  request?: RequestPolicy;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (object names of Ingresses, HTTPRoutes, Gateways). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A host name as Ingress rules and HTTPRoute hostnames take it (a leading wildcard label allowed). */
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function objectName(inputs: Inputs, name: string, fallback: string, max: number): string {
  const value = inputs.string(name, { default: fallback });
  if (!DNS_SUBDOMAIN.test(value) || value.length > max)
    throw new InputError(name, `${inputs.label(name)} must be a lowercase DNS name of at most ${max} characters, got '${value}'.`);
  return value;
}

function host(inputs: Inputs, name: string): string | undefined {
  const value = inputs.string(name);
  if (value !== undefined && (!HOST.test(value) || value.length > 253))
    throw new InputError(
      name,
      `${inputs.label(name)} must be a host name such as shop.example.com (lowercase, no scheme, port or path), got '${value}'.`,
    );
  return value;
}

/**
 * The router: `service` (the Service `<release>`), `ingress` (an Ingress: ingress-name, host,
 * optional ingress-class) or `gateway` (an HTTPRoute: route-name, gateway, optional host).
 * preview-host is for ingress and gateway only; inputs of another router are refused, not ignored.
 */
function routerConfig(inputs: Inputs, release: string): RouterConfig {
  const kind = inputs.enum('router', ROUTER_KINDS, { default: 'service' });
  const only = (name: string, kinds: readonly string[]) => {
    if (inputs.string(name) !== undefined && !kinds.includes(kind))
      throw new InputError(name, `${inputs.label(name)} applies to router ${kinds.join(' or ')}, not to router ${kind}.`);
  };
  only('ingress-name', ['ingress']);
  only('ingress-class', ['ingress']);
  only('route-name', ['gateway']);
  only('gateway', ['gateway']);
  only('host', ['ingress', 'gateway']);
  only('preview-host', ['ingress', 'gateway']);
  if (kind === 'service') return { kind, name: release };
  const live = host(inputs, 'host');
  const previewHost = host(inputs, 'preview-host');
  if (previewHost && previewHost === live)
    throw new InputError('preview-host', `${inputs.label('preview-host')} must differ from ${inputs.label('host')} ('${live}').`);
  if (kind === 'ingress') {
    if (!live) throw new InputError('host', `${inputs.label('host')} is required with router ingress: the host whose backend is switched.`);
    const ingressClass = inputs.string('ingress-class');
    if (ingressClass !== undefined && !DNS_SUBDOMAIN.test(ingressClass))
      throw new InputError('ingress-class', `${inputs.label('ingress-class')} must be an IngressClass name, got '${ingressClass}'.`);
    return {
      kind,
      name: objectName(inputs, 'ingress-name', release, 253),
      host: live,
      ...(ingressClass ? { ingressClass } : {}),
      ...(previewHost ? { previewHost } : {}),
    };
  }
  const gateway = inputs.string('gateway');
  const parts = gateway?.split('/') ?? [];
  if (!gateway || parts.length > 2 || parts.some((p) => !DNS_SUBDOMAIN.test(p)))
    throw new InputError(
      'gateway',
      `${inputs.label('gateway')} is required with router gateway: the parent Gateway as name or namespace/name, got '${gateway ?? ''}'.`,
    );
  // The preview HTTPRoute is named <route-name>-preview: both must fit in 253 characters.
  return {
    kind,
    name: objectName(inputs, 'route-name', release, 245),
    gateway: parts.length === 2 ? { namespace: parts[0]!, name: parts[1]! } : { name: parts[0]! },
    ...(live ? { host: live } : {}),
    ...(previewHost ? { previewHost } : {}),
  };
}
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

function url(inputs: Inputs, name: string): string | undefined {
  const value = inputs.string(name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InputError(name, `${inputs.label(name)} must be an http(s) URL, got '${value}'.`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol))
    throw new InputError(name, `${inputs.label(name)} must be an http(s) URL, got '${value}'.`);
  return value;
}

function clusterSource(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  cwd: string,
  log?: Pick<Logger, 'setSecret'>,
): { source: ClusterSource; sourceLabel: string } {
  const clusterName = inputs.string('cluster-name');
  const kubeconfig = inputs.string('kubeconfig');
  if (clusterName && kubeconfig) {
    throw new InputError('kubeconfig', `Give either ${inputs.label('cluster-name')} (EKS) or ${inputs.label('kubeconfig')}, not both.`);
  }
  if (clusterName) {
    const region = inputs.string('aws-region') ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
    if (!region) throw new InputError('aws-region', `${inputs.label('aws-region')} is required with cluster-name (or set AWS_REGION).`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      throw new InputError('aws-region', `${inputs.label('aws-region')} must be an AWS region such as eu-west-1, got '${region}'.`);
    return { source: { kind: 'eks', clusterName, region }, sourceLabel: `EKS cluster ${clusterName} (${region})` };
  }
  const given = kubeconfig ?? env['KUBE_CONFIG'];
  const label = kubeconfig !== undefined ? inputs.label('kubeconfig') : 'KUBE_CONFIG';
  if (given) {
    const home = env['HOME'];
    const file = path.resolve(cwd, home ? given.replace(/^~(?=\/|$)/, home) : given);
    const oneLine = !given.trim().includes('\n') && given.length < 4096;
    if (oneLine && existsSync(file)) return { source: { kind: 'kubeconfig-file', path: file }, sourceLabel: `kubeconfig ${given}` };
    if (oneLine && looksLikePath(given.trim()))
      throw new InputError(
        'kubeconfig',
        `${label}: the kubeconfig file ${file} does not exist. Give a path to a kubeconfig, or its content (raw or base64).`,
      );
    // One-line values (base64, or junk) are masked whole; a YAML document is masked by its credentials once parsed (connect()), not line by line.
    if (oneLine) log?.setSecret(given);
    decodeKubeconfig(given, 'kubeconfig', label);
    return { source: { kind: 'kubeconfig', content: given }, sourceLabel: 'kubeconfig from the input' };
  }
  // As kubectl: the first existing file of $KUBECONFIG (a list), else ~/.kube/config.
  const listed = (env['KUBECONFIG'] ?? '').split(path.delimiter).filter(Boolean);
  const fromEnv = listed.map((f) => path.resolve(cwd, f)).find((f) => existsSync(f));
  if (fromEnv) return { source: { kind: 'kubeconfig-file', path: fromEnv }, sourceLabel: `kubeconfig ${fromEnv} (from KUBECONFIG)` };
  const home = env['HOME'];
  const standard = home ? path.join(home, '.kube', 'config') : undefined;
  if (!listed.length && standard && existsSync(standard))
    return { source: { kind: 'kubeconfig-file', path: standard }, sourceLabel: `kubeconfig ${standard} (the default, as kubectl)` };
  const looked = listed.length
    ? `KUBECONFIG names ${listed.join(path.delimiter)}, and none of it exists`
    : `neither KUBECONFIG nor ${standard ?? '~/.kube/config'} is there`;
  throw new InputError(
    'kubeconfig',
    `Say which cluster: ${inputs.label('cluster-name')} and ${inputs.label('aws-region')} for EKS, or ${inputs.label('kubeconfig')} (a path, or the kubeconfig itself, raw or base64, e.g. from a KUBE_CONFIG secret); ${looked}.`,
  );
}

/** A one-line value that is meant as a file name, not as kubeconfig content: `./x`, `/x`, `~/x`, `x.yaml`, `…/config`. */
function looksLikePath(value: string): boolean {
  return /^(?:\.{1,2}\/|\/|~(?:\/|$))/.test(value) || /(?:\.(?:ya?ml|json|conf|kubeconfig)|(?:^|\/)config)$/i.test(value);
}

/** Reads and validates the deploy inputs. Every error names the input and what it accepts; nothing is contacted. */
export function readDeployInputs(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
  log?: Pick<Logger, 'setSecret'>,
): DeployOptions {
  log?.setSecret(inputs.string('github-token'));
  const mode = inputs.enum('mode', MODES, { default: 'full' });
  const release = inputs.string('release', { required: true });
  if (!DNS_LABEL.test(release) || release.length > 47) {
    throw new InputError(
      'release',
      `${inputs.label('release')} must be a lowercase DNS label of at most 47 characters (it names the releases <release>-blue/-green and the router Service), got '${release}'.`,
    );
  }
  const namespace = inputs.string('namespace', { default: 'default' });
  if (!DNS_LABEL.test(namespace) || namespace.length > 63)
    throw new InputError('namespace', `${inputs.label('namespace')} must be a lowercase DNS label, got '${namespace}'.`);
  const chart = inputs.string('chart');
  if (!chart && (mode === 'full' || mode === 'deploy'))
    throw new InputError(
      'chart',
      `${inputs.label('chart')} is required in mode ${mode}: a chart directory, a .tgz, repo/name or oci:// reference.`,
    );
  const roots = jobRoots(env, cwd, 'read');
  const valuesFiles = inputs.list('values-files').map((file) => {
    existingPath(file, { input: 'values-files', label: inputs.label('values-files'), roots, cwd, kind: 'file' });
    return path.resolve(cwd, file);
  });
  const set = inputs.list('set', { separator: /\n/ });
  for (const pair of set)
    if (!/^[^=\s]+=/.test(pair)) throw new InputError('set', `${inputs.label('set')} takes key=value lines, got '${pair}'.`);
  const image = inputs.string('image');
  if (image && /[\s:@]/.test(image.replace(/^[^/]+:\d+\//, '')))
    throw new InputError(
      'image',
      `${inputs.label('image')} is the repository without tag (registry/name), got '${image}'; put the tag in 'tag'.`,
    );
  const tag = inputs.string('tag');
  if (tag && !TAG.test(tag))
    throw new InputError('tag', `${inputs.label('tag')} must be an image tag ([A-Za-z0-9_.-], at most 128 characters), got '${tag}'.`);
  const runId = env['GITHUB_RUN_ID']
    ? `${env['GITHUB_REPOSITORY'] ?? 'run'}#${env['GITHUB_RUN_ID']}`
    : `local-${process.pid}-${Date.now()}`;
  const runUrl =
    env['GITHUB_RUN_ID'] && env['GITHUB_REPOSITORY']
      ? `${env['GITHUB_SERVER_URL'] ?? 'https://github.com'}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`
      : undefined;
  const smokeConfig = inputs.string('smoke-config');
  if (smokeConfig) existingPath(smokeConfig, { input: 'smoke-config', label: inputs.label('smoke-config'), roots, cwd, kind: 'file' });
  const metricsConfig = inputs.string('metrics-config');
  if (metricsConfig)
    existingPath(metricsConfig, { input: 'metrics-config', label: inputs.label('metrics-config'), roots, cwd, kind: 'file' });
  const promoteAfterMs = inputs.duration('promote-after', { min: '1s', max: '6h' });
  if (promoteAfterMs !== undefined && mode !== 'full' && mode !== 'promote')
    throw new InputError(
      'promote-after',
      `${inputs.label('promote-after')} is the window after the switch, so it applies in modes full and promote only (mode is ${mode}).`,
    );
  const previewUrl = url(inputs, 'preview-url');
  const productionUrl = url(inputs, 'production-url');
  const environment = inputs.string('environment');
  const githubToken = inputs.string('github-token');
  const spec: DeploySpec = {
    namespace,
    release,
    chart: chart ?? '',
    ...(inputs.string('chart-version') ? { chartVersion: inputs.string('chart-version') } : {}),
    valuesFiles,
    set,
    ...(image ? { image } : {}),
    ...(tag ? { tag } : {}),
    timeoutMs: inputs.duration('timeout', { default: '5m', min: '1s', max: '6h' })!,
    drainMs: inputs.duration('drain', { default: '30s', max: '1h' })!,
    keepPrevious: inputs.enum('keep-previous', KEEP_PREVIOUS, { default: 'scaled-down' }),
    autoscaledIdle: inputs.enum('autoscaled-idle', AUTOSCALED_IDLE, { default: 'minimum' }),
    lockTimeoutMs: inputs.duration('lock-timeout', { default: '0s', max: '6h' })!,
    runId,
    ...(runUrl ? { runUrl } : {}),
    router: routerConfig(inputs, release),
  };
  return {
    ...clusterSource(inputs, env, cwd, log),
    mode,
    spec,
    helmBinary: inputs.string('helm', { default: 'helm' }),
    ...(smokeConfig ? { smokeConfig: path.resolve(cwd, smokeConfig) } : {}),
    ...(metricsConfig ? { metricsConfig: path.resolve(cwd, metricsConfig) } : {}),
    ...(promoteAfterMs !== undefined ? { promoteAfterMs } : {}),
    ...(previewUrl ? { previewUrl } : {}),
    ...(productionUrl ? { productionUrl } : {}),
    ...(githubToken ? { githubToken } : {}),
    ...(environment ? { environment } : {}),
    dryRun: inputs.boolean('dry-run', false),
    request: withinTimeout(requestPolicy(inputs), spec.timeoutMs),
  };
}

/** No single request may outlast the deploy's own `timeout`. */
function withinTimeout(policy: RequestPolicy, timeoutMs: number): RequestPolicy {
  return { ...policy, attemptTimeoutMs: Math.min(policy.attemptTimeoutMs, timeoutMs), deadlineMs: Math.min(policy.deadlineMs, timeoutMs) };
}
