/**
 * Generated blocks inside hand-written Markdown: `<!-- name:start -->` … `<!-- name:end -->`.
 * Only the text between the markers is ever replaced; the rest of the file stays as written.
 */

export type BlockName = 'adr-index' | 'deploys' | 'merged-prs';

function markers(name: BlockName): { start: RegExp; end: RegExp } {
  // `[^<>]*`: a scan never runs past the next tag, so text full of unclosed markers stays linear.
  return { start: new RegExp(`<!--\\s*${name}:start\\b[^<>]*-->`), end: new RegExp(`<!--\\s*${name}:end\\s*-->`) };
}

export function blockMarkers(name: BlockName): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

export interface Block {
  /** The text between the marker lines, without the surrounding newlines. */
  content: string;
  /** 1-based line of the start marker. */
  line: number;
}

/** Where a block sits: its start marker's offset, and the offsets its content runs between (markers excluded). */
function locate(text: string, name: BlockName): { marker: number; from: number; to: number } | undefined {
  const { start, end } = markers(name);
  const s = start.exec(text);
  if (!s) return undefined;
  const from = s.index + s[0].length;
  const e = end.exec(text.slice(from));
  if (!e) return undefined;
  return { marker: s.index, from, to: from + e.index };
}

export function readBlock(text: string, name: BlockName): Block | undefined {
  const at = locate(text, name);
  if (!at) return undefined;
  const content = text
    .slice(at.from, at.to)
    .replace(/^\r?\n/, '')
    .replace(/\r?\n$/, '');
  return { content, line: text.slice(0, at.marker).split('\n').length };
}

/** Replaces a block's content; undefined when the file has no such block. */
export function replaceBlock(text: string, name: BlockName, content: string): string | undefined {
  const at = locate(text, name);
  if (!at) return undefined;
  return `${text.slice(0, at.from)}\n${content}\n${text.slice(at.to)}`;
}

/** Replaces a block, or appends a new section holding it at the end of the file. */
export function upsertBlock(text: string, name: BlockName, content: string, heading: string): string {
  const replaced = replaceBlock(text, name, content);
  if (replaced !== undefined) return replaced;
  const { start, end } = blockMarkers(name);
  const base = text.trimEnd();
  return `${base}${base ? '\n\n' : ''}## ${heading}\n\n${start}\n${content}\n${end}\n`;
}
