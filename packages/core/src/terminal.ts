/**
 * The job-summary Markdown of summary.ts, as plain text for a terminal: headings without `#`,
 * tables as aligned columns, `<details>` as a titled section, links as `text (url)`, and the
 * escapes, emphasis and code fences removed. It reads the subset summary.ts writes, so that the
 * CLI prints the same report as the job summary without Markdown syntax.
 */

const unescape = (text: string) => text.replace(/\\([\\`*_{}[\]<>|#+\-.!])/g, '$1');

function inline(text: string): string {
  // Most cells and lines hold none of the syntax below: skip the six passes over them.
  if (!/[<[*`\\]/.test(text)) return text;
  return unescape(
    text
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/(?<!\\)\[([^[\]]*)\]\(([^()\s]*)\)/g, (_, label: string, url: string) => (url ? `${label} (${decodeLink(url)})` : label))
      .replace(/(?<!\\)\*\*(.+?)(?<!\\)\*\*/g, '$1')
      .replace(/(?<!\\)`([^`]*)`/g, '$1')
      .replace(/<\/?(?:sub|sup|b|i|strong|em|code|kbd)>/gi, ''),
  );
}

function decodeLink(url: string): string {
  return url.replace(/%2[08]|%29/gi, (code) => String.fromCharCode(parseInt(code.slice(1), 16)));
}

/** Visible width of a cell: emoji and other wide characters take two columns. */
export function textWidth(text: string): number {
  if (/^[\x20-\x7E]*$/.test(text)) return text.length;
  let width = 0;
  for (const char of text.replace(/\uFE0F/g, ''))
    width += /\p{Extended_Pictographic}|[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFF00-\uFF60]/u.test(char) ? 2 : 1;
  return width;
}

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && body[i + 1] === '|') {
      current += '|';
      i++;
    } else if (c === '|') {
      cells.push(current);
      current = '';
    } else current += c;
  }
  cells.push(current);
  return cells.map((cell) => inline(cell.trim()));
}

function renderTable(rows: string[][]): string[] {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => textWidth(r[c] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : cell + ' '.repeat((widths[c] ?? 0) - textWidth(cell))))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  return [line(header ?? []), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)];
}

export function markdownToText(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence) {
      if (line.trim() === fence) fence = undefined;
      else out.push(`  ${line}`);
      continue;
    }
    const opening = /^(`{3,})/.exec(line.trim());
    if (opening) {
      fence = opening[1];
      continue;
    }
    // \s+ then \S: the two parts cannot trade characters, so no line makes this backtrack.
    const heading = /^(#{1,6})\s+(\S.*)?$/.exec(line);
    if (heading) {
      const text = inline(heading[2] ?? '');
      out.push(text, ...(heading[1]!.length <= 2 ? ['═'.repeat(Math.min(textWidth(text), 80))] : []));
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[][] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i]!); i++) {
        if (!/^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i]!)) rows.push(splitRow(lines[i]!));
      }
      i--;
      out.push(...renderTable(rows));
      continue;
    }
    const details = /^<details>(?:<summary>(.*)<\/summary>)?(.*)$/.exec(line.trim());
    if (details) {
      if (details[1]) out.push(`${inline(details[1])}:`);
      if (details[2]?.trim()) out.push(inline(details[2]));
      continue;
    }
    if (/^<\/?(details|summary)>$/.test(line.trim())) continue;
    out.push(inline(line));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
