import { formatDuration, GateError } from '@pipeline-toolkit/core';
import { deploy as runDeploy, planDeploy, planText, readDeployInputs, type Journal } from '@pipeline-toolkit/k8s';
import { flagInputs, type Command } from '../command.ts';

export const deploy: Command = {
  name: 'deploy',
  summary: 'Helm blue-green deploy to Kubernetes or EKS with smoke gates and automatic rollback',
  usage:
    'pipeline-toolkit deploy --release web --chart ./chart (--kubeconfig ~/.kube/config | --cluster-name c --aws-region eu-west-1) [--tag 1.2.3] [--mode full|deploy|promote|rollback] [--dry-run]',
  flags: [
    { name: 'cluster-name', type: 'string', description: 'EKS cluster name (endpoint, CA and tokens from the AWS credential chain)' },
    { name: 'aws-region', type: 'string', description: 'AWS region of the EKS cluster (default: AWS_REGION)' },
    { name: 'kubeconfig', type: 'string', description: 'kubeconfig path or content, raw or base64 (default: KUBECONFIG)' },
    { name: 'namespace', type: 'string', description: "Namespace (default 'default')" },
    { name: 'release', type: 'string', description: 'Base name: releases <release>-blue/-green, router Service <release>' },
    { name: 'chart', type: 'string', description: 'Helm chart: directory, .tgz, repo/name or oci://' },
    { name: 'chart-version', type: 'string', description: 'Chart version (repository and OCI charts)' },
    { name: 'values-files', type: 'string', multiple: true, description: 'A values file' },
    { name: 'set', type: 'string', multiple: true, description: 'A Helm key=value' },
    { name: 'image', type: 'string', description: 'Image repository (image.repository)' },
    { name: 'tag', type: 'string', description: 'Image tag (image.tag)' },
    { name: 'mode', type: 'string', description: 'full (default), deploy, promote or rollback' },
    { name: 'smoke-config', type: 'string', description: 'Smoke suite run before and after the switch' },
    {
      name: 'metrics-config',
      type: 'string',
      description: 'Metrics gate YAML: Prometheus queries with success conditions, before or after the switch',
    },
    {
      name: 'promote-after',
      type: 'string',
      description: 'Promote when every post-switch gate stayed green this long (e.g. 10m; from 1s to 6h)',
    },
    { name: 'router', type: 'string', description: 'service (default), ingress or gateway: what takes traffic' },
    { name: 'ingress-name', type: 'string', description: 'Router ingress: the Ingress switched (default: the release)' },
    { name: 'ingress-class', type: 'string', description: 'Router ingress: ingressClassName of an Ingress the first deploy creates' },
    { name: 'route-name', type: 'string', description: 'Router gateway: the HTTPRoute switched (default: the release)' },
    { name: 'gateway', type: 'string', description: 'Router gateway: the parent Gateway, name or namespace/name' },
    { name: 'host', type: 'string', description: 'Router ingress (required) and gateway: the live host' },
    { name: 'preview-host', type: 'string', description: 'Routers ingress and gateway: a host routed to the colour being deployed' },
    { name: 'preview-url', type: 'string', description: 'URL of the idle colour ({color} is replaced); default: API server service proxy' },
    { name: 'production-url', type: 'string', description: 'Production URL; default: API server service proxy to the router' },
    { name: 'timeout', type: 'string', description: 'Budget for Helm and readiness, each (default 5m; from 1s to 6h)' },
    { name: 'drain', type: 'string', description: 'Keep the previous colour this long after the switch (default 30s, at most 1h)' },
    { name: 'keep-previous', type: 'string', description: 'scaled-down (default), running or uninstall' },
    {
      name: 'autoscaled-idle',
      type: 'string',
      description: 'HPA-scaled workloads of the previous colour: minimum (pin the HPA, default) or zero',
    },
    { name: 'lock-timeout', type: 'string', description: "Wait this long for another deploy's lock (default 0s, at most 6h)" },
    { name: 'helm', type: 'string', description: "Helm 3 or 4 binary (default 'helm')" },
    { name: 'dry-run', type: 'boolean', description: 'Print the plan (colours, Helm command, router write) and change nothing' },
  ],
  async run({ inputs, lists, io }) {
    const options = readDeployInputs(flagInputs({ inputs, lists }), io.env, io.cwd, io.log);
    if (options.dryRun) {
      io.out(planText(await planDeploy(options, io.log)));
      return 0;
    }
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    let journal: Journal | undefined;
    try {
      const outcome = await runDeploy(options, {
        log: io.log,
        signal: controller.signal,
        saveJournal: async (j) => void (journal = j),
        cwd: io.cwd,
      });
      for (const p of outcome.phases)
        io.out(
          `  ${p.outcome === 'failed' ? '✖' : p.outcome === 'skipped' ? '○' : '✔'} ${p.name.padEnd(16)} ${formatDuration(p.endedAt - p.startedAt).padStart(7)}  ${p.detail ?? ''}`,
        );
      io.out(
        `result: ${outcome.result}, live colour: ${outcome.liveColor ?? 'none'}${outcome.revision ? `, revision ${outcome.revision}` : ''}`,
      );
      if (outcome.rollback)
        io.out(
          `rollback: ${outcome.rollback.restored ? 'done' : 'NOT possible'} — ${outcome.rollback.reason}; ${outcome.rollback.details.join('; ')}`,
        );
      if (outcome.previewUrl) io.out(`preview: ${outcome.previewUrl}`);
      if (outcome.failure) {
        io.out(`failed in ${outcome.failure.phase} (${outcome.failure.kind})`);
        throw new GateError(outcome.failure.message);
      }
      return 0;
    } finally {
      process.off('SIGINT', cancel);
      if (journal && !journal.finished) io.log.warning('The deploy did not finish; run it again or use --mode rollback.');
    }
  },
};
