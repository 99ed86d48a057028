/**
 * The scanner releases the installer fetches: pinned versions and the names of their official
 * release assets. The SHA-256 of every asset is stored beside the action, in
 * actions/security-scan/scanners/checksums.sha256 (sha256sum format, with SOURCES.md saying where
 * each value was read); Semgrep, whose official distribution is PyPI, is pinned with every
 * dependency by semgrep-requirements.txt (pip --require-hashes). The versions are those of the
 * real-component tier (scripts/tools/catalog.ts); a test keeps them equal.
 */

export const SCANNER_VERSIONS = { gitleaks: '8.30.1', trivy: '0.74.0', semgrep: '1.185.0' } as const;

/** The scanners the installer can install, in the order it installs them. */
export const INSTALLABLE = ['gitleaks', 'semgrep', 'trivy'] as const;
export type Installable = (typeof INSTALLABLE)[number];

export type Os = 'linux' | 'darwin';
export type Arch = 'x64' | 'arm64';
export interface Platform {
  os: Os;
  arch: Arch;
}

/** A release archive: a tar.gz with the binary at its top level. */
export interface ArchiveRelease {
  tool: 'gitleaks' | 'trivy';
  version: string;
  /** The asset's file name on the release page (and on a mirror). */
  asset(platform: Platform): string;
  /** The official download URL of an asset. */
  url(asset: string): string;
  /** The binary's name inside the archive. */
  binary: string;
  /** The version command, and what its output must contain. */
  versionArgs: string[];
  expect: string;
}

const gitleaksVersion = SCANNER_VERSIONS.gitleaks;
const trivyVersion = SCANNER_VERSIONS.trivy;

export const ARCHIVES: Record<'gitleaks' | 'trivy', ArchiveRelease> = {
  gitleaks: {
    tool: 'gitleaks',
    version: gitleaksVersion,
    asset: ({ os, arch }) => `gitleaks_${gitleaksVersion}_${os}_${arch}.tar.gz`,
    url: (asset) => `https://github.com/gitleaks/gitleaks/releases/download/v${gitleaksVersion}/${asset}`,
    binary: 'gitleaks',
    versionArgs: ['version'],
    expect: gitleaksVersion,
  },
  trivy: {
    tool: 'trivy',
    version: trivyVersion,
    asset: ({ os, arch }) => `trivy_${trivyVersion}_${os === 'linux' ? 'Linux' : 'macOS'}-${arch === 'x64' ? '64bit' : 'ARM64'}.tar.gz`,
    url: (asset) => `https://github.com/aquasecurity/trivy/releases/download/v${trivyVersion}/${asset}`,
    binary: 'trivy',
    versionArgs: ['--version'],
    expect: `Version: ${trivyVersion}`,
  },
};

/** The runner's platform, or an error naming what is supported. */
export function platformOf(os: string = process.platform, arch: string = process.arch): Platform {
  const o = os === 'linux' || os === 'darwin' ? os : undefined;
  const a = arch === 'x64' || arch === 'arm64' ? arch : undefined;
  if (!o || !a) throw new Error(`The scanner installer supports Linux and macOS on x64 and arm64, not ${os}/${arch}.`);
  return { os: o, arch: a };
}

/** Trivy's vulnerability database, from the official mirror list (Trivy tries them in order). */
export const TRIVY_DB_REPOSITORIES = ['mirror.gcr.io/aquasec/trivy-db:2', 'ghcr.io/aquasecurity/trivy-db:2'] as const;

/**
 * Parses a checksum file in sha256sum format (`<64 hex>  <file name>`, `#` comments). Throws
 * naming the file and line for anything else, and for a name listed twice with two hashes.
 */
export function parseChecksums(text: string, file: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)$/.exec(line);
    if (!m)
      throw new Error(`${file}, line ${index + 1}: expected '<sha256>  <file name>' (sha256sum format), got '${line.slice(0, 120)}'.`);
    const [, sum, name] = m as unknown as [string, string, string];
    const known = sums.get(name);
    if (known && known !== sum.toLowerCase())
      throw new Error(`${file}, line ${index + 1}: ${name} is listed twice with two different hashes.`);
    sums.set(name, sum.toLowerCase());
  });
  return sums;
}
