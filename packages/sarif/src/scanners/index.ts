import type { JsonObject } from '../json.ts';
import { checkov } from './checkov.ts';
import { gitleaks } from './gitleaks.ts';
import { grype } from './grype.ts';
import type { Scanner } from './scanner.ts';
import { semgrep } from './semgrep.ts';
import { trivy } from './trivy.ts';

export type { Scanner, ScannerRun, ScannerDeps, RunOptions, StreamedArray } from './scanner.ts';

/**
 * The registry: every scanner this package reads, one module each. Adding a tool is its module
 * and one line here; the action's inputs, the CLI's flags, the docs' tables and format detection
 * follow from this list (`npm run docs` regenerates what is written down).
 */
export const SCANNERS: readonly Scanner[] = [gitleaks, semgrep, trivy, grype, checkov];

/** The scanner of a tool id (`grype`), if one is registered. */
export function scannerById(id: string): Scanner | undefined {
  return SCANNERS.find((s) => s.tool.id === id);
}

/** The scanner that wrote a SARIF run, from its driver name; undefined for any other tool's SARIF. */
export function scannerOfDriver(driverName: string): Scanner | undefined {
  return SCANNERS.find((s) => s.sarifDriver?.test(driverName));
}

/** The scanner whose JSON report an object is. Detection is exclusive (packages/sarif/test/registry.test.ts checks every fixture). */
export function detectObject(doc: JsonObject): Scanner | undefined {
  return SCANNERS.find((s) => s.detect?.(doc));
}

/** The scanner whose bare-array JSON report has this first element. */
export function detectElement(first: unknown): Scanner | undefined {
  return SCANNERS.find((s) => s.detectElement?.(first));
}

/** The keys of the large arrays that are streamed: a bare array (`''`) and each scanner's own. */
export function streamedKeys(): Set<string> {
  return new Set(['', ...SCANNERS.flatMap((s) => (s.stream ? [s.stream.key] : []))]);
}

/** The scanner that streams the array under `key`. */
export function scannerOfStream(key: string): Scanner | undefined {
  return SCANNERS.find((s) => s.stream?.key === key);
}

/** The scanners `run-scanners: available` can run. */
export function runnableScanners(): Scanner[] {
  return SCANNERS.filter((s) => s.run);
}

/** `Gitleaks, Semgrep and Trivy` (or, with `or`, `Gitleaks, Semgrep or Trivy`). */
export function namesOf(scanners: readonly Scanner[], conjunction: 'and' | 'or' = 'and'): string {
  const names = scanners.map((s) => s.tool.name);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${conjunction} ${names.at(-1)}`;
}
