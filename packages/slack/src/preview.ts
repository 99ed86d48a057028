/**
 * A Slack message as a standalone HTML page, close to how Slack shows it: the payload the action
 * sends (attachment colour bar, header, sections with fields, context, dividers), its mrkdwn
 * (*bold*, _italic_, `code`, <url|link>) rendered. For previews (`notify --preview`) and the
 * pictures in docs/images, which are rendered from the real payload, never drawn by hand.
 */

import { COLORS } from './render.ts';

interface TextObject {
  type: string;
  text: string;
}
interface Block {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: (TextObject & { url?: string })[];
}
interface Payload {
  text?: string;
  attachments?: { color?: string; blocks?: Block[] }[];
  blocks?: Block[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Slack's mrkdwn (already &-escaped by the sender, as Slack requires) as HTML. */
export function mrkdwnToHtml(text: string): string {
  const links: string[] = [];
  const withoutLinks = text.replace(/<([^|<>]+)(?:\|([^<>]*))?>/g, (_, url: string, label?: string) => {
    const safeUrl = /^https?:\/\//.test(url) ? url : '#';
    links.push(
      `<a href="${escapeHtml(safeUrl.replace(/&amp;/g, '&'))}">${escapeHtml((label ?? url).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'))}</a>`,
    );
    return `\uE000${links.length - 1}\uE001`;
  });
  const unescaped = withoutLinks.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return escapeHtml(unescaped)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1<i>$2</i>')
    .replace(/\n/g, '<br>')
    .replace(/\uE000(\d+)\uE001/g, (_, i: string) => links[Number(i)]!);
}

const text = (t: TextObject) => (t.type === 'mrkdwn' ? mrkdwnToHtml(t.text) : escapeHtml(t.text));

function block(b: Block): string {
  switch (b.type) {
    case 'header':
      return `<div class="header">${b.text ? escapeHtml(b.text.text) : ''}</div>`;
    case 'section':
      return [
        b.text ? `<div class="section">${text(b.text)}</div>` : '',
        b.fields?.length ? `<div class="fields">${b.fields.map((f) => `<div>${text(f)}</div>`).join('')}</div>` : '',
      ].join('');
    case 'context':
      return `<div class="context">${(b.elements ?? []).map((e) => (e.text ? text(e) : '')).join(' · ')}</div>`;
    case 'divider':
      return '<hr>';
    case 'actions':
      return `<div class="actions">${(b.elements ?? []).map((e) => `<span class="button">${e.text ? text(e.text as unknown as TextObject) : ''}</span>`).join('')}</div>`;
    default:
      return '';
  }
}

const STYLE = `body{margin:0;padding:16px;background:#fff;font:15px/1.46668 "Lato","Helvetica Neue",Arial,sans-serif;color:#1d1c1d;width:560px}
.msg{display:flex;gap:8px}.avatar{width:36px;height:36px;border-radius:4px;background:#4a154b;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center}
.name{font-weight:900}.name small{font-weight:400;color:#616061;margin-left:4px}
.att{display:flex;margin-top:4px}.bar{width:4px;border-radius:8px;flex:none}.body{padding:0 12px}
.header{font-size:18px;font-weight:900;margin:4px 0}.section{margin:4px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin:8px 0}
.context{font-size:12px;color:#616061;margin:4px 0}hr{border:0;border-top:1px solid #ddd}a{color:#1264a3;text-decoration:none}
code{font:12px Monaco,Menlo,monospace;background:#f8f8f8;border:1px solid #e8e8e8;border-radius:3px;padding:1px 3px;color:#e01e5a}`;

/** The whole page: one message from the "pipeline-toolkit" app. Deterministic: the same payload gives the same bytes. */
export function previewHtml(payload: Payload): string {
  const attachments = (payload.attachments ?? []).map(
    (a) =>
      `<div class="att"><div class="bar" style="background:${/^#[0-9A-Fa-f]{6}$/.test(a.color ?? '') ? a.color : '#ddd'}"></div><div class="body">${(a.blocks ?? []).map(block).join('\n')}</div></div>`,
  );
  const top = (payload.blocks ?? []).map(block).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(payload.text ?? 'Slack message')}</title><style>${STYLE}</style></head>
<body><div class="msg"><div class="avatar">P</div><div><div class="name">pipeline-toolkit<small>APP</small></div>
${top}${attachments.join('\n')}
</div></div></body></html>
`;
}

/** Slack's mrkdwn as plain text for a terminal: no markers, links as `label (url)` or the bare URL. */
export function mrkdwnToText(text: string): string {
  return text
    .replace(/<([^|<>]+)(?:\|([^<>]*))?>/g, (_, url: string, label?: string) => (label && label !== url ? `${label} (${url})` : url))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1$2');
}

function blockText(b: Block): string[] {
  const plain = (t: TextObject) => (t.type === 'mrkdwn' ? mrkdwnToText(t.text) : t.text);
  switch (b.type) {
    case 'header':
      return b.text ? [b.text.text.toUpperCase()] : [];
    case 'section':
      return [...(b.text ? [plain(b.text)] : []), ...(b.fields ?? []).map((f) => plain(f).replace(/\n/, ': '))];
    case 'context':
      return [(b.elements ?? []).flatMap((e) => (e.text ? [plain(e)] : [])).join(' · ')];
    case 'divider':
      return ['─'.repeat(40)];
    default:
      return [];
  }
}

/** The message as a terminal shows it: the blocks as plain lines, the attachment's colour bar as its status. */
export function previewText(payload: Payload): string {
  const lines = (payload.blocks ?? []).flatMap(blockText);
  for (const a of payload.attachments ?? []) {
    const status = Object.entries(COLORS).find(([, colour]) => colour.toUpperCase() === (a.color ?? '').toUpperCase())?.[0];
    lines.push(...(status ? [`[${status}]`] : []), ...(a.blocks ?? []).flatMap(blockText));
  }
  return lines.join('\n');
}
