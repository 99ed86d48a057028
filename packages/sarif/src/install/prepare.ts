import path from 'node:path';
import { exec as defaultExec, scrubbing, type Exec, type Logger } from '@pipeline-toolkit/core';
import type { ScanOptions } from '../options.ts';
import { installScanners } from './install.ts';
import { platformOf } from './releases.ts';
import { ensureTrivyDb } from './trivy-db.ts';
import { scannerAssets, type InstallInputs } from './index.ts';

/**
 * install-scanners: installs the scanners asked for (verified; reused from the cached folder when
 * intact), puts them first on the PATH the scan sees, gives Trivy a vulnerability database (or
 * fails saying why there is none), and gives Semgrep the bundled rules when semgrep-config names
 * none. Returns the environment the scan runs with; sets `options.trivyCacheDir` and, for Semgrep,
 * `options.semgrepConfig`.
 */
export async function prepareScanners(
  install: InstallInputs,
  options: ScanOptions,
  deps: { log: Logger; env: NodeJS.ProcessEnv; exec?: Exec | undefined; fetch?: typeof fetch | undefined },
): Promise<NodeJS.ProcessEnv> {
  // tar, pip and Trivy's database download run without the job's credentials, as the scanners do (ADR-051)
  const exec = scrubbing(deps.exec ?? defaultExec);
  const assets = scannerAssets();
  const mirrorDir = install.mirror && !/^https?:\/\//i.test(install.mirror) ? install.mirror : undefined;
  const installed = await deps.log.group('Installing the scanners', () =>
    installScanners(
      {
        tools: install.tools,
        dir: install.toolsDir,
        ...(install.mirror ? { mirror: install.mirror } : {}),
        checksumsFile: install.checksumsFile ?? path.join(assets, 'checksums.sha256'),
        semgrepRequirements: path.join(assets, 'semgrep-requirements.txt'),
        ...(mirrorDir ? { semgrepWheels: mirrorDir } : {}),
        platform: platformOf(),
      },
      { exec, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
    ),
  );
  const dirs = [...new Set(installed.map((i) => path.dirname(i.bin)))];
  const env = { ...deps.env, PATH: [...dirs, deps.env['PATH'] ?? ''].join(path.delimiter) };
  deps.log.info(`Scanners: ${installed.map((i) => `${i.tool} ${i.version} (${i.from === 'cache' ? 'cached' : 'installed'})`).join(', ')}.`);
  const trivy = installed.find((i) => i.tool === 'trivy');
  const scanners = (deps.env['TRIVY_SCANNERS'] ?? 'vuln').split(',').map((s) => s.trim());
  if (trivy && options.runScanners === 'available' && scanners.includes('vuln')) {
    const db = await deps.log.group('Trivy vulnerability database', () =>
      ensureTrivyDb(
        {
          trivy: trivy.bin,
          cacheDir: install.trivyCacheDir,
          repositories: install.trivyDbRepositories,
          maxAgeMs: install.trivyDbMaxAgeMs,
          attempts: 3,
          backoffMs: 5_000,
          attemptTimeoutMs: 10 * 60_000,
        },
        { exec, log: deps.log },
      ),
    );
    options.trivyCacheDir = db.cacheDir;
  }
  if (installed.some((i) => i.tool === 'semgrep') && options.semgrepConfig.length === 0) {
    options.semgrepConfig = [path.join(assets, 'semgrep-rules')];
    deps.log.info(`Semgrep: the bundled rules (${options.semgrepConfig[0]}); semgrep-config replaces them.`);
  }
  return env;
}
