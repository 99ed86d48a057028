import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@pipeline-toolkit/testing';
import { IMAGES, PAGES, PICTURES, renderHtml, sha256 } from '../../scripts/pictures.ts';

/** The pictures in docs/images never drift from the code: `npm run pictures` refreshes them. */
describe('docs/images', () => {
  let pages: Record<string, string>;
  // Rendering runs the CLI's notify, the deploy engine and Markdown: one render for every test.
  beforeAll(async () => {
    pages = await renderHtml();
  }, 60_000);

  it('holds the HTML the code renders now, and PNGs taken from exactly that HTML', async () => {
    expect(Object.keys(pages).sort()).toEqual([...Object.keys(PICTURES), ...Object.keys(PAGES)].sort());
    const manifest = JSON.parse(await readFile(path.join(IMAGES, 'pictures.json'), 'utf8')) as Record<string, string>;
    for (const [name, html] of Object.entries(pages)) {
      const stale = `docs/images/${name} is stale: run 'npm run pictures' (with chromium installed) and commit docs/images`;
      expect([stale, await readFile(path.join(IMAGES, `${name}.html`), 'utf8')]).toEqual([stale, html]);
      expect([stale, existsSync(path.join(IMAGES, `${name}.png`)), manifest[`${name}.png`]]).toEqual([stale, true, sha256(html)]);
    }
  });

  it('shows the real message: the failed job, the repository, branch, commit and environment', async () => {
    const html = pages['slack-failure']!;
    expect(html).toContain('<div class="header">CI/CD pipeline failed</div>');
    expect(html).toContain('• test — failed');
    expect(html).toContain('acme/shop');
    expect(html).toContain('3f9c2e1');
    expect(html).toContain('<a href="https://shop.example.com">https://shop.example.com</a>');
    expect(html).toContain('background:#E01E5A');
  });

  it('shows the approval-pending message: the checklist, the environment and the link to the run to review', async () => {
    const html = pages['slack-approval']!;
    expect(html).toContain('<div class="header">Waiting for approval</div>');
    expect(html).toContain('Waiting for approval in <b>production</b> by the environment');
    expect(html).toContain('href="https://github.com/acme/shop/actions/runs/8123456789"');
    expect(html).toContain('background:#ECB22E');
  });

  it("shows a deploy's job summary from the engine: rolled back after the post-switch gate, with its phase timeline", async () => {
    const summary = pages['job-summary']!;
    expect(summary).toContain('<h2>Deploy web (shop): rolled-back</h2>');
    expect(summary).toContain('<strong>Why:</strong> Rolled back to blue: post-switch smoke failed on green');
    expect(summary).toMatch(/<pre class="mermaid">gantt\n {2}title Deploy phases\n/);
    expect(summary).toMatch(/ {2}verify \([\d.]+s\) :crit, /);
    expect(summary).toContain('<td>post-switch</td>\n<td>green</td>\n<td>FAILED</td>');
    const timeline = /<pre class="mermaid">[\s\S]*?<\/pre>/.exec(summary)![0];
    expect(pages['deploy-timeline']).toContain(timeline);
  });

  it("draws every job of pipeline.yml, and each job's needs unless implied by another need", async () => {
    // The chart's text as Mermaid reads it (the page escapes it as HTML).
    const page = pages['pipeline']!.replace(/&quot;/g, '"').replace(/&gt;/g, '>');
    const { jobs } = parse(await readFile(path.join(repoRoot, '.github/workflows/pipeline.yml'), 'utf8')) as {
      jobs: Record<string, { name: string }>;
    };
    for (const [id, job] of Object.entries(jobs)) expect(page).toContain(`  ${id.replace(/-/g, '_')}["${job.name}"]`);
    expect(page).toContain('  plan --> lint\n');
    expect(page).toContain('  test --> security_scan\n');
    // approval waits for deploy-idle (skipped unless approve-before-switch), which waits for security-scan.
    expect(page).toContain('  security_scan --> deploy_idle\n');
    expect(page).toContain('  deploy_idle --> approval\n');
    expect(page).toContain('  approval --> deploy\n');
    expect(page).toContain('  deploy --> smoke\n');
    // build waits for lint, which waits for plan: no plan → build edge.
    expect(page).not.toContain('  plan --> build\n');
  });
});
