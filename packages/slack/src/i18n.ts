import type { Language, Status } from './model.ts';

/** Every fixed text of a message, per language. pt-BR follows the original design's wording. */
export interface Wording {
  headline: Record<Status, string>;
  repository: string;
  branch: string;
  commit: string;
  run: string;
  attempt: (n: string) => string;
  environment: string;
  workflow: string;
  failedJobs: string;
  failedAtStep: (step: string) => string;
  conclusion: Record<string, string>;
  smokeTests: string;
  smokeCounts: (c: { passed: number; failed: number; flaky: number; skipped: number }) => string;
  failedCritical: string;
  securityScan: string;
  securityCounts: (c: { new: number; fixed: number; unchanged: number }) => string;
  /** Without a baseline: the number of findings, and that none can be called new, fixed or unchanged. */
  securityNoBaseline: (findings: number) => string;
  more: (count: number) => string;
  truncated: string;
}

const en: Wording = {
  headline: { success: 'CI/CD pipeline succeeded', failure: 'CI/CD pipeline failed', cancelled: 'CI/CD pipeline cancelled' },
  repository: 'Repository',
  branch: 'Branch',
  commit: 'Commit',
  run: 'Run',
  attempt: (n) => `attempt ${n}`,
  environment: 'Environment',
  workflow: 'Workflow',
  failedJobs: 'Failed jobs',
  failedAtStep: (step) => `failed at step ${step}`,
  conclusion: { failure: 'failed', cancelled: 'cancelled', timed_out: 'timed out' },
  smokeTests: 'Smoke tests',
  smokeCounts: (c) => `${c.passed} passed · ${c.failed} failed · ${c.flaky} flaky · ${c.skipped} skipped`,
  failedCritical: 'Failed critical checks',
  securityScan: 'Security scan',
  securityCounts: (c) => `${c.new} new · ${c.fixed} fixed · ${c.unchanged} unchanged`,
  securityNoBaseline: (n) => `${n} finding${n === 1 ? '' : 's'}, no baseline to compare with (new, fixed and unchanged unknown)`,
  more: (count) => `… and ${count} more`,
  truncated: '… (truncated)',
};

const ptBR: Wording = {
  headline: {
    success: 'Pipeline CI/CD concluído com sucesso',
    failure: 'Pipeline CI/CD falhou',
    cancelled: 'Pipeline CI/CD cancelado',
  },
  repository: 'Repositório',
  branch: 'Branch',
  commit: 'Commit',
  run: 'Execução',
  attempt: (n) => `tentativa ${n}`,
  environment: 'Ambiente',
  workflow: 'Workflow',
  failedJobs: 'Jobs com falha',
  failedAtStep: (step) => `falhou no passo ${step}`,
  conclusion: { failure: 'falhou', cancelled: 'cancelado', timed_out: 'tempo esgotado' },
  smokeTests: 'Smoke tests',
  smokeCounts: (c) => `${c.passed} aprovados · ${c.failed} com falha · ${c.flaky} instáveis · ${c.skipped} ignorados`,
  failedCritical: 'Verificações críticas com falha',
  securityScan: 'Varredura de segurança',
  securityCounts: (c) => `novos: ${c.new} · corrigidos: ${c.fixed} · inalterados: ${c.unchanged}`,
  securityNoBaseline: (n) => `achados: ${n}, sem baseline para comparar (novos, corrigidos e inalterados desconhecidos)`,
  more: (count) => `… e mais ${count}`,
  truncated: '… (truncado)',
};

export function wording(language: Language): Wording {
  return language === 'pt-BR' ? ptBR : en;
}
