import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, type Inputs } from '@pipeline-toolkit/core';
import { INSTALLABLE, TRIVY_DB_REPOSITORIES, type Installable } from './releases.ts';

export { installScanners, type InstallOptions, type Installed } from './install.ts';
export { downloadVerified, ChecksumMismatchError, DEFAULT_DOWNLOAD_POLICY, type DownloadPolicy } from './download.ts';
export { ensureTrivyDb, type TrivyDb, type TrivyDbOptions } from './trivy-db.ts';
export {
  ARCHIVES,
  INSTALLABLE,
  SCANNER_VERSIONS,
  TRIVY_DB_REPOSITORIES,
  parseChecksums,
  platformOf,
  type Installable,
  type Platform,
} from './releases.ts';

/** The scanner installer's inputs (action inputs of the same names). */
export interface InstallInputs {
  tools: Installable[];
  toolsDir: string;
  mirror?: string;
  checksumsFile?: string;
  trivyCacheDir: string;
  trivyDbRepositories: string[];
  trivyDbMaxAgeMs: number;
}

/** Reads install-scanners, tools-dir, scanner-mirror, scanner-checksums, trivy-cache-dir, trivy-db-repository and trivy-db-max-age. */
export function readInstallInputs(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  label: (name: string) => string = (n) => `Input '${n}'`,
): InstallInputs | undefined {
  const list = inputs.list('install-scanners');
  const tools = list.length === 1 && list[0] === 'all' ? [...INSTALLABLE] : list.length === 1 && list[0] === 'none' ? [] : list;
  const unknown = tools.find((t) => !(INSTALLABLE as readonly string[]).includes(t));
  if (unknown)
    throw new InputError(
      'install-scanners',
      `${label('install-scanners')} takes none, all or a list of ${INSTALLABLE.join(', ')}; got '${unknown}'.`,
    );
  const base = env['RUNNER_TOOL_CACHE'] || path.join(homedir(), '.cache');
  const toolsDir = path.resolve(inputs.string('tools-dir') || path.join(base, 'pipeline-toolkit-scanners'));
  const mirror = inputs.string('scanner-mirror');
  if (mirror && !/^https?:\/\//i.test(mirror) && !existsSync(mirror))
    throw new InputError('scanner-mirror', `${label('scanner-mirror')} must be an http(s) URL or an existing directory, got '${mirror}'.`);
  const checksumsFile = inputs.string('scanner-checksums');
  if (checksumsFile && !existsSync(checksumsFile))
    throw new InputError('scanner-checksums', `${label('scanner-checksums')}: no file '${checksumsFile}'.`);
  const repositories = inputs.list('trivy-db-repository');
  const bad = repositories.find((r) => !/^[\w.-]+(?::\d+)?(?:\/[\w.-]+)+(?::[\w.-]+)?$/.test(r));
  if (bad)
    throw new InputError(
      'trivy-db-repository',
      `${label('trivy-db-repository')} takes OCI repositories such as ${TRIVY_DB_REPOSITORIES[0]}, got '${bad}'.`,
    );
  const maxAge = inputs.duration('trivy-db-max-age', { default: '24h', min: '0s', max: '720h' }) ?? 24 * 3600_000;
  const trivyCacheDir = inputs.string('trivy-cache-dir');
  // every input is read and checked, also when nothing is installed (a mistake is never silent)
  if (!tools.length) return undefined;
  return {
    tools: tools as Installable[],
    toolsDir,
    ...(mirror ? { mirror } : {}),
    ...(checksumsFile ? { checksumsFile: path.resolve(checksumsFile) } : {}),
    trivyCacheDir: path.resolve(trivyCacheDir || path.join(toolsDir, 'trivy-cache')),
    trivyDbRepositories: repositories.length ? repositories : [...TRIVY_DB_REPOSITORIES],
    trivyDbMaxAgeMs: maxAge,
  };
}

/**
 * The folder of the files the installer reads beside the action — checksums.sha256,
 * semgrep-requirements.txt, the default Semgrep rules — found upwards from `from` (the bundle in
 * dist/, or the source): `actions/security-scan/scanners`.
 */
export function scannerAssets(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'actions', 'security-scan', 'scanners');
    if (existsSync(path.join(candidate, 'checksums.sha256'))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`actions/security-scan/scanners (checksums.sha256) not found above ${from}: check out the toolkit with that folder.`);
}
export { prepareScanners } from './prepare.ts';
