import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aggregator, countFindings, loadReport, type ReportKind, type Severity } from '../src/index.ts';
import { aggregate, fixture, fixtures } from './helpers.ts';

type Counts = Partial<Record<Severity, number>> & { suppressed?: number };

/**
 * Counts per severity (unsuppressed) and suppressed, derived by reading each file against the
 * severity table of docs/security-scan.md — not by running the code.
 */
const EXPECTED: Record<string, { kind: ReportKind; tools: string[]; counts: Counts }> = {
  // Gitleaks: every leak is HIGH (no severity in either format).
  'gitleaks/gitleaks-baseline-no-runs.sarif': { kind: 'gitleaks', tools: [], counts: {} },
  'gitleaks/gitleaks-baseline-report.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 2 } }, // lines 32 and 33
  'gitleaks/gitleaks-golden-empty.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: {} },
  'gitleaks/gitleaks-golden-json_simple.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 1 } },
  // One Gitleaks 8.30.1 scan (git mode) in both formats: 6 leaks, one of them in a second commit
  'gitleaks/gitleaks-8.30.1-pair-git.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 6 } },
  'gitleaks/gitleaks-8.30.1-pair-git.sarif': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 6 } },
  // Gitleaks 8.0.0 wrote its own version as the SARIF version ("v8.0.0") under a SARIF 2.1.0 $schema: one leak
  'gitleaks/gitleaks-8.0.0-sarif-version-v8.sarif': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 1 } },
  'gitleaks/gitleaks-golden-sarif_simple.sarif': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 1 } }, // dangling ruleId test-rule
  // Betterleaks, Gitleaks' successor, the same golden as its SARIF (driver "betterleaks"); `gitleaks stdin`: 2 leaks, File ""
  'gitleaks/betterleaks-golden-sarif_simple.sarif': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 1 } },
  'gitleaks/gitleaks-8.30.1-stdin.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 2 } },
  'gitleaks/gitleaks-8.30.1-stdin.sarif': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 2 } },
  // Gitleaks 7: results without ruleId (the rule is the start of the message), the same leak in several commits collapses
  'gitleaks/gitleaks-v7.4.0.sarif': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 4 } }, // 8 results, 4 places
  'gitleaks/gitleaks-v7.5.0.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 4 } },
  'gitleaks/gitleaks-v7-many.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 2 } },
  'gitleaks/gitleaks-v8-unsafe-bank.sarif': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 6 } }, // 6 results, 6 distinct files/lines
  // Semgrep JSON: extra.severity CRITICAL→CRITICAL, ERROR→HIGH, WARNING→MEDIUM, INFO/LOW→LOW.
  // failed runs (exit 2, 7, 8): errors only, no results
  'semgrep/semgrep-1.185.0-error-bad-pattern.json': { kind: 'semgrep', tools: ['semgrep'], counts: {} },
  'semgrep/semgrep-1.185.0-error-missing-message.json': { kind: 'semgrep', tools: ['semgrep'], counts: {} },
  // 80 generic-api-key leaks, each at its own file and line: Gitleaks leaks are HIGH
  'gitleaks/gitleaks-8.30.1-generic-api-key-80.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 80 } },
  'semgrep/semgrep-1.185.0-error-not-yaml.json': { kind: 'semgrep', tools: ['semgrep'], counts: {} },
  // 120 results of a rule of severity ERROR, one per file; and 120 PartialParsing warnings
  'semgrep/semgrep-1.185.0-partial-parsing-120-files.json': { kind: 'semgrep', tools: ['semgrep'], counts: { HIGH: 120 } },
  'semgrep/semgrep-1.185.0-error-unknown-language.json': { kind: 'semgrep', tools: ['semgrep'], counts: {} },
  'semgrep/semgrep-json-critical-severity.json': { kind: 'semgrep', tools: ['semgrep'], counts: { CRITICAL: 1 } },
  'semgrep/semgrep-json-registry-error-info.json': { kind: 'semgrep', tools: ['semgrep'], counts: { HIGH: 1, LOW: 1 } },
  'semgrep/semgrep-json-v1.100.0-logged-out.json': { kind: 'semgrep', tools: ['semgrep'], counts: { HIGH: 1, MEDIUM: 1 } },
  'semgrep/semgrep-json-v1.84.1-low-severity.json': { kind: 'semgrep', tools: ['semgrep'], counts: { LOW: 3 } },
  'semgrep/semgrep-json-with-errors-cwe-owasp.json': { kind: 'semgrep', tools: ['semgrep'], counts: { HIGH: 1 } },
  // Semgrep SARIF: level only on the rule (error→HIGH, warning→MEDIUM); suppressions[] → suppressed.
  // security-severity as labels on the rules (34 results of CRITICAL rules, 1 HIGH, 42 MEDIUM)
  'semgrep/semgrep-sarif-label-security-severity.sarif': {
    kind: 'semgrep',
    tools: ['semgrep'],
    counts: { CRITICAL: 34, HIGH: 1, MEDIUM: 42 },
  },
  'semgrep/semgrep-sarif-autofix.sarif': { kind: 'semgrep', tools: ['semgrep'], counts: { HIGH: 2 } },
  'semgrep/semgrep-sarif-dataflow-traces.sarif': { kind: 'semgrep', tools: ['semgrep'], counts: { MEDIUM: 1 } },
  'semgrep/semgrep-sarif-include-nosemgrep.sarif': { kind: 'semgrep', tools: ['semgrep'], counts: { HIGH: 1, suppressed: 1 } },
  // One Semgrep 1.185.0 run in both formats, a rule per label: the JSON's CRITICAL is only `level: error` in the SARIF
  // (HIGH); the rule whose metadata says security-severity 9.1 (severity WARNING) is CRITICAL in both; the SARIF
  // lists a `nosemgrep` result as suppressed, the JSON leaves it out
  'semgrep/semgrep-1.185.0-pair-labels.json': { kind: 'semgrep', tools: ['semgrep'], counts: { CRITICAL: 2, HIGH: 2, MEDIUM: 2, LOW: 2 } },
  'semgrep/semgrep-1.185.0-pair-labels.sarif': {
    kind: 'semgrep',
    tools: ['semgrep'],
    counts: { CRITICAL: 1, HIGH: 3, MEDIUM: 2, LOW: 2, suppressed: 1 },
  },
  'semgrep/semgrep-sarif-nosemgrep-and-error.sarif': { kind: 'semgrep', tools: ['semgrep'], counts: { suppressed: 1 } },
  // Opengrep's snapshot of the same test (driver "Opengrep OSS")
  'semgrep/opengrep-sarif-nosemgrep-and-error.sarif': { kind: 'semgrep', tools: ['semgrep'], counts: { suppressed: 1 } },
  // Supply Chain (sca_info) beside code findings: pyyaml CRITICAL, flask HIGH, shell=True ERROR, requests MEDIUM, password WARNING
  'semgrep/semgrep-1.187.0-supply-chain.json': { kind: 'semgrep', tools: ['semgrep'], counts: { CRITICAL: 1, HIGH: 2, MEDIUM: 2 } },
  'semgrep/semgrep-sarif-rule-board.sarif': { kind: 'semgrep', tools: ['semgrep'], counts: { HIGH: 3 } },
  'semgrep/semgrep-sarif-when-errors.sarif': { kind: 'semgrep', tools: ['semgrep'], counts: {} },
  // Trivy: its own Severity label (SARIF: the label in the rule tags, not the CVSS score); UNKNOWN→INFO.
  'trivy/trivy-config-terraform.sarif': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 5, MEDIUM: 1, LOW: 2 } },
  'trivy/trivy-gomod-unknown-severity.json': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 1, INFO: 4 } }, // GMS-2022-20 in 3 go.mod targets
  'trivy/trivy-image-alpine310.sarif': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 4 } }, // 2 CVEs × 2 packages
  // Trivy 0.15's SARIF template: 3 MEDIUM and 1 LOW CVE in each of libcrypto1.1 and libssl1.1, the package only in the rules
  // Trivy 0.20's JSON golden (0.21's is the same file) and the two versions' SARIF of it: 3 MEDIUM and 1 LOW CVE in
  // each of two packages; 0.20's rule ids join target, package and CVE, 0.21's SARIF names no package
  'trivy/trivy-0.20.0-alpine310-pair.json': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 6, LOW: 2 } },
  'trivy/trivy-0.20.0-alpine310-pair.sarif': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 6, LOW: 2 } },
  'trivy/trivy-0.21.0-alpine310-pair.sarif': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 6, LOW: 2 } },
  'trivy/trivy-0.15.0-template-alpine310.sarif': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 6, LOW: 2 } },
  'trivy/trivy-image-alpine39.json': { kind: 'trivy', tools: ['trivy'], counts: { CRITICAL: 2, MEDIUM: 4 } },
  'trivy/trivy-image-debian-buster-unfixed.json': { kind: 'trivy', tools: ['trivy'], counts: { CRITICAL: 1, LOW: 1 } },
  // Kubernetes report (no SchemaVersion): 20 vulnerabilities and failed checks over the cluster's workloads
  'trivy/trivy-k8s-cluster.json': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 6, LOW: 14 } },
  // Trivy before 0.20: a bare array of Results; the first entry has no VulnerabilityID
  'trivy/trivy-legacy-array-mix.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 6 } },
  // an aggregated Result ("Java") of a jar scanned as a file; a remote repository's lock files; a Helm chart archive's template
  'trivy/trivy-0.69.1-fs-jar-aggregated.json': { kind: 'trivy', tools: ['trivy'], counts: { MEDIUM: 1, LOW: 2 } },
  'trivy/trivy-repo-remote-url.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 1, MEDIUM: 1 } },
  'trivy/trivy-config-helm-chart-archive.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 3, MEDIUM: 4, LOW: 11 } },
  'trivy/trivy-npm-with-suppressed.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 1, suppressed: 1 } }, // VEX not_affected LOW
  // misconfigurations of a downloaded Terraform module: AWS-0089 LOW, AWS-0090 MEDIUM, AWS-0132 HIGH (the "." Result has none)
  'trivy/trivy-terraform-remote-module-in-child.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 1, MEDIUM: 1, LOW: 1 } },
  // --show-suppressed with a .trivyignore.yaml: 3 CRITICAL, 8 HIGH, 4 MEDIUM, 17 LOW live (a loose licence file among
  // them); 4 ignored with statements (2 misconfigurations, a secret, a licence)
  // the same run's SARIF: Trivy leaves the ignored findings out
  'trivy/trivy-0.74.0-fs-show-suppressed-yaml.sarif': {
    kind: 'trivy',
    tools: ['trivy'],
    counts: { CRITICAL: 3, HIGH: 8, MEDIUM: 4, LOW: 17 },
  },
  'trivy/trivy-0.74.0-fs-show-suppressed-yaml.json': {
    kind: 'trivy',
    tools: ['trivy'],
    counts: { CRITICAL: 3, HIGH: 8, MEDIUM: 4, LOW: 17, suppressed: 4 },
  },
  // a Terraform plan's 8 failed checks (AWS-0086, 0087, 0091, 0093, 0132 HIGH; 0094, 0099, 0124 LOW)
  'trivy/trivy-0.74.0-config-dir-terraform-plan.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 5, LOW: 3 } },
  'trivy/trivy-0.74.0-config-terraform-plan-file.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 5, LOW: 3 } },
  'trivy/trivy-0.74.0-config-dir-terraform-plan.sarif': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 5, LOW: 3 } },
  'trivy/trivy-0.74.0-config-terraform-plan-file.sarif': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 5, LOW: 3 } },
  'trivy/trivy-repo-secrets.json': { kind: 'trivy', tools: ['trivy'], counts: { CRITICAL: 1, HIGH: 1 } },
  'trivy/trivy-v0.43.1-image-alpine.sarif': { kind: 'trivy', tools: ['trivy'], counts: { CRITICAL: 1 } },
  'trivy/trivy-v0.72.0-config-terraform.json': { kind: 'trivy', tools: ['trivy'], counts: { HIGH: 5, MEDIUM: 1, LOW: 2 } },
  'trivy/trivy-v0.72.0-image-alpine310-critical.json': { kind: 'trivy', tools: ['trivy'], counts: { CRITICAL: 1 } },
  // Other SARIF: security-severity when present (Grype), else level (result, then rule default; note→LOW).
  // Through the generic `reports` input. Checkov: its severity label; null (no platform key) → HIGH, as its SARIF says.
  'checkov/checkov-terraform-severity.json': { kind: 'any', tools: ['checkov'], counts: { HIGH: 1, MEDIUM: 2, LOW: 1 } },
  'checkov/checkov-multiple-check-types.json': { kind: 'any', tools: ['checkov'], counts: { HIGH: 13 } }, // terraform + dockerfile
  // Checkov 3.3.30 run here (SOURCES.md), through its own input: severity null → HIGH (a failed check, as Checkov's
  // SARIF states it); `#checkov:skip` → suppressed.
  // One framework: 10 failed checks on main.tf, 1 skipped (summary: failed 10, skipped 1).
  'checkov/checkov-3.3.30-terraform.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 10, suppressed: 1 } },
  // Three frameworks: dockerfile 2 failed + kubernetes 20 + terraform 10 failed and 1 skipped.
  'checkov/checkov-3.3.30-multi-framework.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 32, suppressed: 1 } },
  // One Checkov 3.3.30 run, both of its outputs: 11 + 4 failed checks without a severity, alike in either file
  'checkov/checkov-3.3.30-pair-terraform-dockerfile.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 15 } },
  'checkov/checkov-3.3.30-pair-terraform-dockerfile.sarif': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 15 } },
  // Another run, both outputs: a failed check, and one skipped by `#checkov:skip` (suppressed)
  'checkov/checkov-3.3.30-pair-skipped.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 1, suppressed: 1 } },
  'checkov/checkov-3.3.30-pair-skipped.sarif': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 1, suppressed: 1 } },
  // Checkov with nothing to scan writes its summary alone (3.3.30 run here; 2.1.269 from DefectDojo): no findings
  'checkov/checkov-3.3.30-nothing-scanned.json': { kind: 'checkov', tools: ['checkov'], counts: {} },
  'checkov/checkov-2.1.269-nothing-scanned.json': { kind: 'any', tools: ['checkov'], counts: {} },
  // a terraform file Checkov could not parse: no checks, one problem (see variants.test.ts)
  'checkov/checkov-3.3.30-parsing-error.json': { kind: 'any', tools: ['checkov'], counts: {} },
  // Checkov runs of SOURCES.md's "paths and secrets": counted with `jq` over the files (failed_checks and
  // skipped_checks of each framework, every severity null; SARIF: results with level error, no suppressions)
  'checkov/checkov-3.3.30-k8s-d-deploy-gitrepo.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 19 } },
  'checkov/checkov-3.3.30-k8s-d-deploy.sarif': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 19 } },
  'checkov/checkov-3.3.30-tf-cwd-subdir.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 12, suppressed: 1 } },
  // terraform 13 + 1 skipped, kubernetes 19, dockerfile 4, secrets 2
  'checkov/checkov-2.5.20-d-subdir-all.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 38, suppressed: 1 } },
  // terraform 12 + 1 skipped, kubernetes 18, dockerfile 4, secrets 2
  'checkov/checkov-2.0.1200-all.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 36, suppressed: 1 } },
  'checkov/checkov-3.3.30-secrets.json': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 2 } },
  'checkov/checkov-3.3.30-secrets.sarif': { kind: 'checkov', tools: ['checkov'], counts: { HIGH: 2 } },
  // Gitleaks over the same project: 4 leaks (a Gitleaks leak is HIGH)
  'gitleaks/gitleaks-8.30.1-ckproj.json': { kind: 'gitleaks', tools: ['gitleaks'], counts: { HIGH: 4 } },
  // Grype JSON: Critical and Low, one of each
  'grype/grype-json-dir-golden.json': { kind: 'grype', tools: ['grype'], counts: { CRITICAL: 1, LOW: 1 } },
  'grype/grype-json-image-golden.json': { kind: 'any', tools: ['grype'], counts: { CRITICAL: 1, LOW: 1 } },
  // Grype before 0.13: no severity, CVSS as cvssV3 (4.0: MEDIUM) and cvssV2 (1.0: LOW), one without a score (MEDIUM);
  // before 0.5 also no descriptor, source or distro (`{ matches, image }`, `{ matches, directory }`)
  'grype/grype-0.9.0-json-image-cvss-v2-v3.json': { kind: 'grype', tools: ['grype'], counts: { MEDIUM: 2, LOW: 1 } },
  'grype/grype-0.4.0-json-image.json': { kind: 'grype', tools: ['grype'], counts: { MEDIUM: 2, LOW: 1 } },
  'grype/grype-0.4.0-json-directory.json': { kind: 'any', tools: ['grype'], counts: { MEDIUM: 2, LOW: 1 } },
  'other/codeql-2.5.4-output.sarif': { kind: 'sarif', tools: ['codeql'], counts: { HIGH: 11, MEDIUM: 4, LOW: 57 } },
  'other/codeql-action-tool-names.sarif': { kind: 'sarif', tools: ['codeql-command-line-toolchain', 'eslint', 'unnamed-tool'], counts: {} },
  'other/codeql-action-valid-multirun.sarif': { kind: 'sarif', tools: ['lgtm-com', 'codeql-command-line-toolchain'], counts: { LOW: 3 } },
  'other/dockle-0.3.15-image-no-locations.sarif': { kind: 'sarif', tools: ['dockle'], counts: { HIGH: 1, LOW: 3 } },
  // One rule's results at several levels: Flawfinder 2 error, 1 warning, 51 note of which one is `kind: pass`;
  // Snyk Code 12 error, 24 warning, 3 note (two results on one line, at columns 77 and 111, stay two)
  'other/flawfinder-mixed-levels.sarif': { kind: 'sarif', tools: ['flawfinder'], counts: { HIGH: 2, MEDIUM: 1, LOW: 50 } },
  'other/snyk-code-mixed-levels.json': { kind: 'any', tools: ['snykcode'], counts: { HIGH: 12, MEDIUM: 24, LOW: 3 } },
  // messages as messageStrings ids (Contrast Security via the SARIF SDK): 11 error, 7 note, 12 warning by default
  'other/contrast-webgoat-message-strings.sarif': { kind: 'sarif', tools: ['contrast-security'], counts: { HIGH: 11, MEDIUM: 12, LOW: 7 } },
  // SRCROOT a web address; rule security-severity 1 critical, 4 high, 2 medium
  // 4 results without a level (SARIF's default, warning); one suppressed by a suppression without a status
  // absolute uris below the invocation's workingDirectory: 27 results, 12 distinct, all note → LOW
  'other/shiftleft-scan-shellcheck-working-directory.sarif': { kind: 'sarif', tools: ['shell-script-analysis'], counts: { LOW: 12 } },
  // ruff, shellcheck-sarif and gosec run here (SOURCES.md): levels only; gosec's #nosec as an inSource suppression
  'other/ruff-0.17.6-template-descriptions.sarif': { kind: 'sarif', tools: ['ruff'], counts: { HIGH: 8 } },
  'other/shellcheck-sarif-0.8.0-id-descriptions.sarif': { kind: 'sarif', tools: ['shellcheck'], counts: { MEDIUM: 3, LOW: 7 } },
  'other/gosec-2.30.0-cwe-relationships.sarif': { kind: 'sarif', tools: ['gosec'], counts: { HIGH: 8, MEDIUM: 3, suppressed: 1 } },
  // Bandit 1.9.4 run here (SOURCES.md): note → LOW, error → HIGH, no level → SARIF's default warning → MEDIUM
  'other/bandit-1.9.4-hardcoded-password.sarif': { kind: 'sarif', tools: ['bandit'], counts: { HIGH: 2, MEDIUM: 1, LOW: 4 } },
  // Tools' own labels, which their levels only approximate (ADR-049). DevSkim 1.0.56: DevSkimSeverity Critical 97 and
  // Important 1 (both error), Moderate 11 (warning), ManualReview 534 (note); DevSkim 0.6.5: the flag values, Important
  // (2) 1 and Moderate (4) 8, no level and rules at error
  'other/devskim-1.0.56-metalama.sarif': { kind: 'sarif', tools: ['devskim'], counts: { CRITICAL: 97, HIGH: 1, MEDIUM: 11, LOW: 534 } },
  'other/devskim-0.6.5-vulnado-numeric-severity.sarif': { kind: 'sarif', tools: ['devskim'], counts: { HIGH: 1, MEDIUM: 8 } },
  // Qodana: qodanaSeverity Critical 1 (error), High 79 (warning), Moderate 148 (note)
  'other/qodana-jvm-243-aplus-courses.sarif': { kind: 'sarif', tools: ['qdjvmc'], counts: { CRITICAL: 1, HIGH: 79, MEDIUM: 148 } },
  // the label before the rule's short description, every result at warning: dependency-check "medium severity" 10,
  // "low severity" 1 (RetireJS, no CVSS); Snyk IaC Medium 2, Low 2 (warning); Snyk Open Source High 3, Medium 3
  'other/dependency-check-12.1.0-vjwa.sarif': { kind: 'sarif', tools: ['dependency-check'], counts: { MEDIUM: 10, LOW: 1 } },
  'other/snyk-iac-fib-go.sarif': { kind: 'sarif', tools: ['snyk-infrastructure-as-code'], counts: { MEDIUM: 2, LOW: 2 } },
  'other/snyk-open-source-tbdex-js.sarif': { kind: 'sarif', tools: ['snyk-open-source'], counts: { HIGH: 3, MEDIUM: 3 } },
  'other/sarif-sdk-prefast-suppression-justification.sarif': { kind: 'sarif', tools: ['prefast'], counts: { MEDIUM: 3, suppressed: 1 } },
  'other/sarif-sdk-cwe-sample-remote-srcroot.sarif': {
    kind: 'sarif',
    tools: ['cwesamplerscanner'],
    counts: { CRITICAL: 1, HIGH: 4, MEDIUM: 2 },
  },
  // OWASP ZAP: results at web addresses; 1 error, 4 warning, 9 note
  'other/owasp-zap-web-addresses.json': { kind: 'any', tools: ['owasp-zap'], counts: { HIGH: 1, MEDIUM: 4, LOW: 9 } },
  // Grype's SARIF goldens of the JSON goldens' matches: its label in the rules' help (Low at CVSS 8.2, Critical at 8.5)
  'grype/grype-sarif-image-golden.sarif': { kind: 'grype', tools: ['grype'], counts: { CRITICAL: 1, LOW: 1 } },
  'grype/grype-sarif-directory-golden.sarif': { kind: 'any', tools: ['grype'], counts: { CRITICAL: 1, LOW: 1 } },
  // Grype SARIF through Grype's own input
  'grype/grype-0.34.7-cxf.sarif': { kind: 'grype', tools: ['grype'], counts: { CRITICAL: 1, HIGH: 11, MEDIUM: 4, LOW: 6 } },
  // Trivy 0.60's custom checks without metadata: ID N/A, told apart by their Namespace
  'trivy/trivy-0.60.0-golden-dockerfile-custom-policies.json': { kind: 'trivy', tools: ['trivy'], counts: { INFO: 2 } },
  // Grype 0.96: 35 matches; CVE-2024-26308 has no severity, its related GHSA-4265-ccf5-phj5 is High
  'grype/grype-0.96.0-defectdojo-issue-9618.json': {
    kind: 'grype',
    tools: ['grype'],
    counts: { CRITICAL: 1, HIGH: 19, MEDIUM: 13, LOW: 2 },
  },
  // PMD before 7.13: no level, the rule's priority 1 (Boo) and 5 (Foo)
  'other/pmd-7.12.0-renderer-expected-multiple.sarif.json': { kind: 'sarif', tools: ['pmd'], counts: { HIGH: 1, LOW: 1 } },
  // PMD 6.31: 2 + 4 violations grouped into two results' locations, priority 3
  'other/pmd-6.31-docs-example-grouped-locations.sarif.json': { kind: 'sarif', tools: ['pmd'], counts: { MEDIUM: 6 } },
  // the Veracode converter: each result's rank is its own flaw's score (7, 4, 4, 0, 0)
  'other/veracode-converter-test-results.sarif': {
    kind: 'sarif',
    tools: ['veracode-static-analysis-pipeline-scan'],
    counts: { HIGH: 1, MEDIUM: 2, INFO: 2 },
  },
  // ranks 4, 9, 4, 4, 0, 0 under rules scored by their first flaw (CWE-89: 4.0)
  'other/veracode-converter-cwe-scored-by-first-flaw.sarif': {
    kind: 'sarif',
    tools: ['veracode-static-analysis-pipeline-scan'],
    counts: { CRITICAL: 1, MEDIUM: 3, INFO: 2 },
  },
  // the earlier converter: no rule score, ranks on Veracode's 0–5 scale; 1 error, 10 warning, 2 note
  'other/veracode-converter-2021-rank-scale.sarif.json': {
    kind: 'sarif',
    tools: ['veracode-static-analysis-pipeline-scan'],
    counts: { HIGH: 1, MEDIUM: 10, LOW: 2 },
  },
};

describe('every scanner fixture', () => {
  it('has an expectation (no fixture is left untested)', () => {
    const files = ['gitleaks', 'semgrep', 'trivy', 'grype', 'checkov', 'other'].flatMap((d) =>
      readdirSync(path.join(fixtures, d)).map((f) => `${d}/${f}`),
    );
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s parses to the counts read from the file', async (file, { kind, tools, counts }) => {
    const agg = await aggregate([[file, kind]]);
    const { bySeverity, suppressed } = countFindings(agg.findings());
    expect({ ...bySeverity, suppressed }).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0, suppressed: 0, ...counts });
    expect(agg.tools.map((t) => t.id)).toEqual(tools);
  });

  it('SARIF fixtures of the three tools also load as plain SARIF', async () => {
    const agg = await aggregate([['trivy/trivy-config-terraform.sarif', 'sarif']]);
    expect(countFindings(agg.findings()).bySeverity.HIGH).toBe(5);
  });
});

describe('normalised fields', () => {
  it('Gitleaks JSON: path, lines, secret category, rule, no secret in the message', async () => {
    const [f] = (await aggregate([['gitleaks/gitleaks-golden-json_simple.json', 'gitleaks']])).findings();
    expect(f).toMatchObject({
      tools: ['gitleaks'],
      rule: 'test-rule',
      category: 'secret',
      severity: 'HIGH',
      location: { path: 'auth.py', startLine: 1, endLine: 2, startColumn: 1, endColumn: 2 },
      suppressed: false,
      cwe: ['CWE-798'],
    });
    expect(f!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('Semgrep JSON: CWE ids from metadata, help link, absolute paths kept when outside the repository', async () => {
    const agg = await aggregate([
      ['semgrep/semgrep-json-v1.100.0-logged-out.json', 'semgrep'],
      ['semgrep/semgrep-json-v1.84.1-low-severity.json', 'semgrep'],
    ]);
    const sqli = agg.findings().find((f) => f.rule.endsWith('string-formatted-query'));
    expect(sqli).toMatchObject({ cwe: ['CWE-89'], category: 'sast', location: { path: 'sample/function.go', startLine: 37, endLine: 40 } });
    expect(sqli!.helpUri).toContain('semgrep.dev/r/go.lang.security');
    const cdn = agg.findings().find((f) => f.rule.includes('cdn'));
    expect(cdn!.location!.path).toBe('/Users/user.example/git/company/full-codebase/company/lead-magnet/src/templates/base.html.twig');
  });

  it('Trivy JSON: packages, targets, lines of lock-file packages, CVE and CWE ids, misconfiguration lines', async () => {
    const agg = await aggregate([
      ['trivy/trivy-npm-with-suppressed.json', 'trivy'],
      ['trivy/trivy-image-alpine39.json', 'trivy'],
      ['trivy/trivy-v0.72.0-config-terraform.json', 'trivy'],
    ]);
    const debug = agg.findings().find((f) => f.rule === 'CVE-2017-20165');
    expect(debug).toMatchObject({
      package: 'debug@3.0.1',
      location: { path: 'package-lock.json', startLine: 11, endLine: 19 },
      cve: ['CVE-2017-20165'],
      cwe: ['CWE-1333'],
      severity: 'HIGH',
      suppressed: false,
    });
    expect(agg.findings().find((f) => f.rule === 'CVE-2017-16137')).toMatchObject({ suppressed: true, severity: 'LOW' });
    const musl = agg.findings().find((f) => f.package === 'musl@1.1.20-r4');
    expect(musl).toMatchObject({ target: 'testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)', category: 'vulnerability' });
    expect(musl!.location).toBeUndefined();
    expect(agg.findings().find((f) => f.rule === 'AWS-0090')).toMatchObject({
      category: 'misconfiguration',
      severity: 'MEDIUM',
      location: { path: 'test/data/config-scan/main.tf', startLine: 16, endLine: 16 },
    });
  });

  it('Trivy SARIF: severity from its label, not from the CVSS score', async () => {
    // alpine-310: security-severity 5.3 with label MEDIUM; 0.43.1: 9.1 with CRITICAL; terraform: 8.0 with HIGH.
    const agg = await aggregate([['trivy/trivy-image-alpine310.sarif', 'trivy']]);
    expect(agg.findings().map((f) => f.package)).toEqual([
      'libcrypto1.1@1.1.1c-r0',
      'libcrypto1.1@1.1.1c-r0',
      'libssl1.1@1.1.1c-r0',
      'libssl1.1@1.1.1c-r0',
    ]);
  });

  it('SARIF without locations (Dockle) keeps its findings; file:// and %SRCROOT% URIs become repository paths', async () => {
    const agg = await aggregate([
      ['other/dockle-0.3.15-image-no-locations.sarif', 'sarif'],
      ['other/codeql-2.5.4-output.sarif', 'sarif'],
    ]);
    expect(agg.findings().filter((f) => f.tools[0] === 'dockle' && !f.location)).toHaveLength(4);
    const codeql = agg.findings().filter((f) => f.tools[0] === 'codeql');
    expect(codeql.every((f) => f.location && !f.location.path.startsWith('/') && !f.location.path.includes('%'))).toBe(true);
  });

  it('tool problems are collected as warnings (Semgrep errors[], SARIF toolExecutionNotifications)', async () => {
    const agg = await aggregate([
      ['semgrep/semgrep-json-with-errors-cwe-owasp.json', 'semgrep'],
      ['semgrep/semgrep-sarif-when-errors.sarif', 'semgrep'],
    ]);
    expect(agg.problems).toHaveLength(2);
    expect(agg.problems[1]).toContain('File not found: targets/basic/inexistent.py');
  });
});

describe('ids', () => {
  it('extracts CWE, CVE and GHSA ids in their canonical forms', async () => {
    const { cveIds, cweIds } = await import('../src/sink.ts');
    expect(cveIds(['GHSA-57J2-w4cx-62h2 and cve-2021-44228', 'CVE-2021-44228'])).toEqual(['GHSA-57j2-w4cx-62h2', 'CVE-2021-44228']);
    expect(
      cweIds(["CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')", 'external/cwe/cwe-089']),
    ).toEqual(['CWE-79', 'CWE-89']);
  });

  it('gives the same CWE ids for a text met again, alone or among others, short or long', async () => {
    const { cweIds } = await import('../src/sink.ts');
    const long = `${'x'.repeat(300)} CWE-22 and cwe-0023`;
    for (let round = 0; round < 3; round++) {
      expect(cweIds(['CWE-78: OS Command Injection'])).toEqual(['CWE-78']);
      expect(cweIds(['external/cwe/cwe-078', 'CWE-79; CWE-78'])).toEqual(['CWE-78', 'CWE-79']);
      expect(cweIds([long])).toEqual(['CWE-22', 'CWE-23']);
      expect(cweIds(['no id here'])).toEqual([]);
    }
    // more distinct texts than are remembered: each still gives its own id
    for (let i = 0; i < 5000; i++) expect(cweIds([`CWE-${i}: t`])).toEqual([`CWE-${i}`]);
  });
});

/** A temporary repository holding these files (empty: Checkov's paths are only checked to exist). */
async function tree(files: readonly string[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'checkov-tree-'));
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), '');
  }
  return root;
}

/** The findings' paths, each once, sorted. */
const pathsOf = (agg: Aggregator) => [...new Set(agg.findings().map((f) => f.location?.path))].sort();

/**
 * The paths below were read from the files (`jq '.. | objects | select(.check_id) | [.file_path,
 * .repo_file_path, .file_abs_path]'`, SARIF: the result uris), never from this code's output.
 */
describe('Checkov: the repository file a finding is about (real reports)', () => {
  it("`checkov -d deploy` (kubernetes, 3.3.30): on file_path's deploy/k8s/pod.yaml, not the doubled repo_file_path", async () => {
    // file_path /deploy/k8s/pod.yaml; repo_file_path /deploy/deploy/k8s/pod.yaml; file_abs_path outside this root
    const root = await tree(['deploy/k8s/pod.yaml']);
    const agg = await aggregate([['checkov/checkov-3.3.30-k8s-d-deploy-gitrepo.json', 'checkov']], root);
    expect(agg.findings()).toHaveLength(19);
    expect(pathsOf(agg)).toEqual(['deploy/k8s/pod.yaml']);
  });

  it('`checkov -d ck` (2.5.20, five frameworks): each framework on the file that exists, kubernetes undoubled', async () => {
    // terraform, dockerfile, secrets: repo_file_path /ck/…; kubernetes: file_path /ck/k8s/pod.yaml, repo_file_path /ck/ck/k8s/pod.yaml
    const files = ['ck/tf/main.tf', 'ck/tf/provider.tf', 'ck/k8s/pod.yaml', 'ck/docker/Dockerfile'];
    const agg = await aggregate([['checkov/checkov-2.5.20-d-subdir-all.json', 'checkov']], await tree(files));
    expect(pathsOf(agg)).toEqual([...files].sort());
    expect(agg.findings().filter((f) => f.location?.path === 'ck/k8s/pod.yaml')).toHaveLength(19);
  });

  it('without the tree, the paths are as Checkov wrote them (repo_file_path; file_abs_path is outside the root)', async () => {
    const agg = await aggregate([['checkov/checkov-3.3.30-k8s-d-deploy-gitrepo.json', 'checkov']]);
    expect(pathsOf(agg)).toEqual(['deploy/deploy/k8s/pod.yaml']);
  });

  it("`cd infra && checkov -d .` (3.3.30): on infra/main.tf, which only file_abs_path names, not the root's main.tf", async () => {
    // file_path = repo_file_path = /main.tf; file_abs_path /tmp/h2/k8srepo/infra/main.tf: the report read as if
    // Checkov had run in this root (its absolute paths moved there; the file itself is unchanged)
    const root = await tree(['infra/main.tf', 'main.tf']);
    const text = (await readFile(fixture('checkov/checkov-3.3.30-tf-cwd-subdir.json'), 'utf8')).replaceAll('/tmp/h2/k8srepo/', `${root}/`);
    await writeFile(path.join(root, 'report.json'), text);
    const agg = new Aggregator();
    agg.startReport(path.join(root, 'report.json'));
    await loadReport(path.join(root, 'report.json'), 'checkov', { root, sink: agg });
    expect(agg.findings()).toHaveLength(13);
    expect(pathsOf(agg)).toEqual(['infra/main.tf']);
    // read with the root Checkov ran in, whether or not its files are on this machine: file_abs_path is in it
    const there = await aggregate([['checkov/checkov-3.3.30-tf-cwd-subdir.json', 'checkov']], '/tmp/h2/k8srepo');
    expect(pathsOf(there)).toEqual(['infra/main.tf']);
  });

  it("Checkov's SARIF of `checkov -d deploy` (uri deploy/deploy/k8s/pod.yaml): the undoubled path when only that file exists", async () => {
    const agg = await aggregate([['checkov/checkov-3.3.30-k8s-d-deploy.sarif', 'checkov']], await tree(['deploy/k8s/pod.yaml']));
    expect(agg.findings()).toHaveLength(19);
    expect(pathsOf(agg)).toEqual(['deploy/k8s/pod.yaml']);
    // a doubled path that is a file is kept; so is any path without the tree
    const doubled = await aggregate(
      [['checkov/checkov-3.3.30-k8s-d-deploy.sarif', 'checkov']],
      await tree(['deploy/deploy/k8s/pod.yaml', 'deploy/k8s/pod.yaml']),
    );
    expect(pathsOf(doubled)).toEqual(['deploy/deploy/k8s/pod.yaml']);
    expect(pathsOf(await aggregate([['checkov/checkov-3.3.30-k8s-d-deploy.sarif', 'checkov']]))).toEqual(['deploy/deploy/k8s/pod.yaml']);
  });

  it('never places a finding through a link that leaves the repository', async () => {
    const outside = await tree(['k8s/pod.yaml']);
    const root = await tree([]);
    await mkdir(path.join(root, 'deploy'));
    const { symlink } = await import('node:fs/promises');
    await symlink(path.join(outside, 'k8s'), path.join(root, 'deploy/k8s'));
    const agg = await aggregate([['checkov/checkov-3.3.30-k8s-d-deploy-gitrepo.json', 'checkov']], root);
    expect(pathsOf(agg)).toEqual(['deploy/deploy/k8s/pod.yaml']);
  });
});

describe("Trivy's Terraform plan results (Type terraformplan: Targets are Trivy's rendering of the plan)", () => {
  // CauseMetadata of AWS-0099 in both files: Resource aws_security_group.sg, lines 25–25 of the rendered main.tf
  const sg = (agg: Aggregator) => agg.findings().find((f) => f.rule === 'AWS-0099')!;

  it("`trivy config plan.json`: every finding on the plan file, without the rendering's lines, naming its resource", async () => {
    const root = await tree(['plan.json']);
    const agg = await aggregate([['trivy/trivy-0.74.0-config-terraform-plan-file.json', 'trivy']], root);
    expect(agg.findings()).toHaveLength(8);
    expect([...new Set(agg.findings().map((f) => JSON.stringify(f.location)))]).toEqual([JSON.stringify({ path: 'plan.json' })]);
    expect(sg(agg).message).toContain('In the Terraform plan: aws_security_group.sg.');
  });

  it('a folder scanned (`trivy config .`), or the plan file not in the tree: on no file, named by what was scanned', async () => {
    // main.tf exists here, but its lines are not the rendering's: no finding is placed on it
    const root = await tree(['plan.json', 'main.tf']);
    const dir = await aggregate([['trivy/trivy-0.74.0-config-dir-terraform-plan.json', 'trivy']], root);
    expect(dir.findings().map((f) => [f.location, f.target])).toEqual(Array.from({ length: 8 }, () => [undefined, 'Terraform plan in .']));
    const elsewhere = await aggregate([['trivy/trivy-0.74.0-config-terraform-plan-file.json', 'trivy']], await tree([]));
    expect(sg(elsewhere)).toMatchObject({ target: 'Terraform plan in plan.json' });
    expect(sg(elsewhere).location).toBeUndefined();
  });

  it("Trivy's SARIF (uri main.tf below a ROOTPATH that is the scanned path): placed as its JSON, one finding each with it", async () => {
    // the reports were made in /tmp/tfp/repo: read as if Trivy had run in this root (its ROOTPATH moved there)
    const root = await tree(['plan.json']);
    const read = async (file: string) => {
      const text = (await readFile(fixture(file), 'utf8')).replaceAll('/tmp/tfp/repo/', `${root}/`);
      await writeFile(path.join(root, path.basename(file)), text);
      return path.join(root, path.basename(file));
    };
    const load = async (files: string[]) => {
      const agg = new Aggregator();
      for (const file of files) {
        agg.startReport(file);
        await loadReport(file, 'trivy', { root, sink: agg });
      }
      return agg;
    };
    const byFile = await load([await read('trivy/trivy-0.74.0-config-terraform-plan-file.sarif')]);
    expect(byFile.findings()).toHaveLength(8);
    expect([...new Set(byFile.findings().map((f) => JSON.stringify(f.location)))]).toEqual([JSON.stringify({ path: 'plan.json' })]);
    const byFolder = await load([await read('trivy/trivy-0.74.0-config-dir-terraform-plan.sarif')]);
    expect(byFolder.findings().map((f) => [f.location, f.target])).toEqual(
      Array.from({ length: 8 }, () => [undefined, 'Terraform plan in .']),
    );
    // the JSON and the SARIF of one scan: the same 8 findings, each found in both
    const both = await load([
      await read('trivy/trivy-0.74.0-config-terraform-plan-file.json'),
      await read('trivy/trivy-0.74.0-config-terraform-plan-file.sarif'),
    ]);
    expect(both.findings()).toHaveLength(8);
  });
});

describe("Checkov's secrets framework: secrets, one finding per secret with Gitleaks (real reports of one project)", () => {
  // Checkov: CKV_SECRET_2 at tf/provider.tf file_line_range [3, 4], CKV_SECRET_6 at [4, 5], each code_block one line
  // (3, 4). Gitleaks: aws-access-token at tf/provider.tf:3, generic-api-key at :4, and two in app/settings.py
  // (lines 2, 3) that Checkov did not report: 4 secrets.
  const reports = {
    json: 'checkov/checkov-3.3.30-secrets.json',
    sarif: 'checkov/checkov-3.3.30-secrets.sarif',
  } as const;

  it.each(Object.entries(reports))(
    "Checkov %s alone: category secret, CWE-798, the rotate advice, the secret's own line",
    async (_, file) => {
      const agg = await aggregate([[file, 'checkov']]);
      expect(agg.findings().map((f) => [f.rule, f.category, f.location, f.cwe, f.message])).toEqual([
        [
          'CKV_SECRET_2',
          'secret',
          { path: 'tf/provider.tf', startLine: 3, endLine: 3 },
          ['CWE-798'],
          'Secret detected by rule CKV_SECRET_2 (AWS Access Key). Rotate it and remove it from the code and the history.',
        ],
        [
          'CKV_SECRET_6',
          'secret',
          { path: 'tf/provider.tf', startLine: 4, endLine: 4 },
          ['CWE-798'],
          'Secret detected by rule CKV_SECRET_6 (Base64 High Entropy String). Rotate it and remove it from the code and the history.',
        ],
      ]);
    },
  );

  it.each(Object.entries(reports))(
    'Checkov %s with Gitleaks, in either order: 4 findings, the two Checkov found by both tools',
    async (_, file) => {
      for (const order of [
        [
          [file, 'checkov'],
          ['gitleaks/gitleaks-8.30.1-ckproj.json', 'gitleaks'],
        ],
        [
          ['gitleaks/gitleaks-8.30.1-ckproj.json', 'gitleaks'],
          [file, 'checkov'],
        ],
      ] as [string, ReportKind][][]) {
        const agg = await aggregate(order);
        expect(agg.findings()).toHaveLength(4);
        const both = agg.findings().filter((f) => f.tools.length === 2);
        expect(both.map((f) => [f.location?.path, f.location?.startLine, [...f.tools].sort()])).toEqual([
          ['tf/provider.tf', 3, ['checkov', 'gitleaks']],
          ['tf/provider.tf', 4, ['checkov', 'gitleaks']],
        ]);
      }
    },
  );

  it("Checkov 2.0's unmasked code_block: the secret (the token whose SHA-1 is the check's resource) is redacted everywhere", async () => {
    // 2.0.1200 wrote code_block [[3, '  access_key = "AKIAQW3RT7YUZXCVB4NM"\n']] and resource 23851d27…, its SHA-1
    const agg = await aggregate([['checkov/checkov-2.0.1200-all.json', 'checkov']]);
    expect(agg.foundSecrets).toEqual(['AKIAQW3RT7YUZXCVB4NM', 't9Qx2Vb7Lm4Kp8Zr1Wn6Yc3Hs5Jd0Fg2Ue7Ai9Oq']);
    const secrets = agg.findings().filter((f) => f.category === 'secret');
    expect(secrets).toHaveLength(2);
    // no text of a finding holds the secret or its SHA-1 (Checkov's resource)
    expect(JSON.stringify(secrets)).not.toMatch(/AKIAQW3RT7YUZXCVB4NM|23851d2714f82aa2e8f8b2009254139e7edce9da/);
    // 2.5 and 3.3 mask it: nothing to redact
    expect((await aggregate([['checkov/checkov-3.3.30-secrets.json', 'checkov']])).foundSecrets).toEqual([]);
  });
});
