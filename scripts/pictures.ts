/**
 * The pictures in docs/images, rendered from the code: the Slack messages the pipeline sends (the
 * real payloads of `pipeline-toolkit notify`, for a failed and a successful run and a deploy waiting for approval), a deploy's job
 * summary and its phase timeline, and the pipeline's jobs (scripts/pictures-pages.ts), as HTML,
 * and as PNG through a real headless Chromium when one is installed (`apt-get install chromium`).
 * Mermaid charts are drawn in the browser by Mermaid itself (MERMAID_VERSION, fetched once with
 * `npm pack` into ~/.cache/pipeline-toolkit/pictures; only taking PNGs needs it).
 * docs/images/pictures.json records, for each PNG, the SHA-256 of the HTML it was taken from, so a
 * test can tell when the code changed a message and the pictures were not refreshed (pixel output
 * of a browser is not deterministic across machines; the HTML is).
 *
 *   node scripts/pictures.ts          render docs/images (PNG too when chromium is on PATH)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { main } from '../packages/cli/src/main.ts';
import { deployPages, pipelinePage } from './pictures-pages.ts';

const root = path.resolve(import.meta.dirname, '..');
export const IMAGES = path.join(root, 'docs', 'images');

/** A run of acme/shop as GitHub describes it, so the messages are the same on every machine. */
const RUN = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_REF_NAME: 'main',
  GITHUB_SHA: '3f9c2e1a7b4d5c6e8f90a1b2c3d4e5f6a7b8c9d0',
  GITHUB_RUN_ID: '8123456789',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_WORKFLOW: 'pipeline',
  GITHUB_SERVER_URL: 'https://github.com',
};

export const PICTURES: Record<string, string[]> = {
  'slack-failure': [
    '--needs',
    '{"lint":{"result":"success"},"build":{"result":"success"},"test":{"result":"failure"},"deploy":{"result":"skipped"}}',
    '--environment-url',
    'https://shop.example.com',
  ],
  // Webhook mode, so no token is needed to render it; bot-token mode shows the same message without
  // the last line, and updates it in place instead.
  'slack-approval': ['--stage', 'awaiting-approval', '--environment', 'production'],
  'slack-success': [
    '--needs',
    '{"lint":{"result":"success"},"deploy":{"result":"success"}}',
    '--environment-url',
    'https://shop.example.com',
    // the security scan's counts against the default branch's findings
    '--security-new',
    '0',
    '--security-fixed',
    '2',
    '--security-unchanged',
    '5',
    '--security-baseline',
    'true',
  ],
};

/** The pictures that are not Slack messages: name → window size of the screenshot. */
export const PAGES: Record<string, [number, number]> = {
  'job-summary': [910, 1420],
  'deploy-timeline': [910, 420],
  pipeline: [910, 230],
};

/** The HTML of each picture, rendered now from the code. */
export async function renderHtml(): Promise<Record<string, string>> {
  return {
    ...(await slackHtml()),
    ...(await deployPages()),
    pipeline: pipelinePage(await readFile(path.join(root, '.github', 'workflows', 'pipeline.yml'), 'utf8')),
  };
}

async function slackHtml(): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ptk-pictures-'));
  try {
    const pages: Record<string, string> = {};
    for (const [name, args] of Object.entries(PICTURES)) {
      const file = path.join(dir, `${name}.html`);
      const io = { log: new MemoryLogger(), out: () => undefined, env: RUN, cwd: dir };
      const code = await main(['notify', ...args, '--dry-run', '--preview', file], io);
      if (code !== 0) throw new Error(`notify for ${name} exited ${code}: ${io.log.lines.map((l) => l.message).join('; ')}`);
      pages[name] = await readFile(file, 'utf8');
    }
    return pages;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function chromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

export const MERMAID_VERSION = '12.4.0';

/** mermaid.min.js of MERMAID_VERSION, packed from the npm registry once and kept in the cache. */
function mermaidScript(): string {
  const cache = process.env['PIPELINE_TOOLKIT_CACHE'] ?? path.join(os.homedir(), '.cache', 'pipeline-toolkit');
  const dir = path.join(cache, 'pictures', `mermaid-${MERMAID_VERSION}`);
  const script = path.join(dir, 'package', 'dist', 'mermaid.min.js');
  if (existsSync(script)) return script;
  execFileSync('mkdir', ['-p', dir]);
  const tarball = execFileSync('npm', ['pack', `mermaid@${MERMAID_VERSION}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
  execFileSync('tar', ['-xzf', tarball, 'package/dist/mermaid.min.js'], { cwd: dir });
  return script;
}

/** The page the browser opens: the committed HTML, plus Mermaid when it has charts. */
async function browserPage(html: string, dir: string): Promise<string> {
  const file = path.join(dir, 'page.html');
  const withMermaid = html.includes('<pre class="mermaid">')
    ? html.replace(
        '</body>',
        `<script src="file://${mermaidScript()}"></script><script>mermaid.initialize({startOnLoad:true,theme:'default',gantt:{useWidth:820}})</script></body>`,
      )
    : html;
  await writeFile(file, withMermaid);
  return `file://${file}`;
}

async function main_(): Promise<void> {
  await mkdir(IMAGES, { recursive: true });
  const pages = await renderHtml();
  const browser = chromium();
  const manifestFile = path.join(IMAGES, 'pictures.json');
  const manifest = existsSync(manifestFile) ? (JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, string>) : {};
  for (const [name, html] of Object.entries(pages)) {
    const htmlFile = path.join(IMAGES, `${name}.html`);
    await writeFile(htmlFile, html);
    if (!browser) {
      console.log(`${name}.html written; no chromium on PATH, ${name}.png not refreshed`);
      continue;
    }
    const profile = await mkdtemp(path.join(os.tmpdir(), 'ptk-chromium-'));
    try {
      execFileSync(
        browser,
        [
          ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
          ...['--disable-sync', '--no-first-run', '--hide-scrollbars', `--user-data-dir=${profile}`, '--virtual-time-budget=10000'],
          `--window-size=${(PAGES[name] ?? [600, 420]).join(',')}`,
          `--screenshot=${path.join(IMAGES, `${name}.png`)}`,
          await browserPage(html, profile),
        ],
        { stdio: 'ignore', timeout: 60_000 },
      );
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
    manifest[`${name}.png`] = sha256(html);
    console.log(`${name}.png from ${name}.html`);
  }
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
}

if (import.meta.main) await main_();
