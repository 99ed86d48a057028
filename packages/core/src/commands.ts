/**
 * The runner's workflow-command protocol (`::name key=value::message` on stdout).
 *
 * These few lines are written here rather than through @actions/core, whose import pulls an HTTP
 * client and triples cold start (see memory-bank ADR-002); so are the file commands
 * (file-commands.ts, ADR-011). Exec spawns programs itself (exec.ts), with a deadline.
 */

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

const PROPERTY_KEYS: Record<keyof AnnotationProperties, string> = {
  title: 'title',
  file: 'file',
  line: 'line',
  endLine: 'endLine',
  col: 'col',
  endColumn: 'endColumn',
};

export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatCommand(command: string, message: string, properties: AnnotationProperties | Record<string, string> = {}): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${PROPERTY_KEYS[k as keyof AnnotationProperties] ?? k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}
