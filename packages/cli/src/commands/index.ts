import type { Command } from '../command.ts';

/**
 * The subcommands, loaded on demand so that one command never loads another's code (the scanner
 * parsers, Kubernetes client …). Each entry runs one action's logic through its package.
 */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  notify: { summary: 'Build and send the Slack pipeline message', load: async () => (await import('./notify.ts')).notify },
  lint: { summary: 'Run the linters that fit the repository', load: async () => (await import('./lint.ts')).lint },
  smoke: { summary: 'Run the smoke checks against a target', load: async () => (await import('./smoke.ts')).smoke },
  'memory-bank': {
    summary: 'Create, index, lint and record progress in memory-bank/',
    load: async () => (await import('./memory-bank.ts')).memoryBank,
  },
  adr: {
    summary: 'Architecture decision records: new, supersede, status, list, renumber',
    load: async () => (await import('./adr.ts')).adr,
  },
  deploy: {
    summary: 'Helm blue-green deploy with smoke gates and automatic rollback',
    load: async () => (await import('./deploy.ts')).deploy,
  },
  scan: {
    summary: 'Aggregate scanner reports, gate on severity, write one SARIF file',
    load: async () => (await import('./scan.ts')).scan,
  },
};
