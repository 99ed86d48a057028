import { appendSummary } from './file-commands.ts';
import type { Redactor } from './redact.ts';
import { visibleControls } from './text.ts';

/**
 * Job-summary building blocks as GitHub-flavoured Markdown. Pure functions: the same text serves
 * the job summary, the CLI and tests. Cells are escaped so user text cannot break the table.
 */

export function escapeMarkdown(text: string): string {
  // a lone CR breaks a line too (CommonMark)
  return text.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`).replace(/\r\n?|\n/g, ' ');
}

/**
 * Markdown for a comment GitHub posts on a pull request, where a report's text must not notify or
 * link anyone: escaped as escapeMarkdown does, and a zero-width space (`&#8203;`) after the `@` of
 * a mention (`@octocat`, `@org/team`) and the `#`/`-` of an issue reference (`#12`, `org/repo#12`,
 * `GH-12`), so that it reads the same but neither pings a user or team nor back-links an issue.
 * An address (`debug@3.0.1`, `a@b.example`) is left as it is: GitHub does not read it as a mention.
 */
export function inertMarkdown(text: string): string {
  // one pass: the spaces written must not be read again
  return escapeMarkdown(text).replace(/(?<![\w.@/-])@(?=[A-Za-z0-9])|#(?=\d)|\b(GH)-(?=\d)/gi, (m, gh?: string) =>
    gh ? `${gh}&#8203;-` : `${m}&#8203;`,
  );
}

/** A table; cells are escaped unless passed as `{ markdown }`. */
export type Cell = string | number | boolean | { markdown: string };

function cell(value: Cell): string {
  if (typeof value === 'object') return value.markdown.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return escapeMarkdown(String(value));
}

export function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [
    `| ${header.map((h) => escapeMarkdown(h)).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function details(summary: string, body: string): string {
  return `<details><summary>${escapeMarkdown(summary)}</summary>\n\n${body}\n</details>\n`;
}

export function mermaid(code: string): string {
  return `\`\`\`mermaid\n${code.trim()}\n\`\`\`\n`;
}

export function codeBlock(code: string, language = ''): string {
  const fence = code.includes('```') ? '````' : '```';
  return `${fence}${language}\n${code}\n${fence}\n`;
}

export function heading(text: string, level = 2): string {
  return `${'#'.repeat(level)} ${escapeMarkdown(text)}\n`;
}

export function link(text: string, url: string): { markdown: string } {
  return {
    markdown: `[${escapeMarkdown(text)}](${url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`,
  };
}

export interface SummarySink {
  write(markdown: string): Promise<void>;
}

/**
 * Appends to the job summary (GITHUB_STEP_SUMMARY), redacted, with control, bidi and zero-width
 * characters made visible: whatever a caller interpolated, none of them reaches the page.
 */
export class ActionSummary implements SummarySink {
  readonly #redactor: Redactor;
  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }
  async write(markdown: string): Promise<void> {
    appendSummary(visibleControls(this.#redactor.redact(markdown)));
  }
}

/** The job summary of tests and the CLI: what ActionSummary would write, without redaction. */
export class MemorySummary implements SummarySink {
  text = '';
  async write(markdown: string): Promise<void> {
    this.text += `${visibleControls(markdown)}\n`;
  }
}
