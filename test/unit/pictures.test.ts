import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IMAGES, PICTURES, renderHtml, sha256 } from '../../scripts/pictures.ts';

/** The pictures in docs/images never drift from the code: `npm run pictures` refreshes them. */
describe('docs/images', () => {
  it('holds the HTML the code renders now, and PNGs taken from exactly that HTML', async () => {
    const pages = await renderHtml();
    expect(Object.keys(pages).sort()).toEqual(Object.keys(PICTURES).sort());
    const manifest = JSON.parse(await readFile(path.join(IMAGES, 'pictures.json'), 'utf8')) as Record<string, string>;
    for (const [name, html] of Object.entries(pages)) {
      const stale = `docs/images/${name} is stale: run 'npm run pictures' (with chromium installed) and commit docs/images`;
      expect([stale, await readFile(path.join(IMAGES, `${name}.html`), 'utf8')]).toEqual([stale, html]);
      expect([stale, existsSync(path.join(IMAGES, `${name}.png`)), manifest[`${name}.png`]]).toEqual([stale, true, sha256(html)]);
    }
  });

  it('shows the real message: the failed job, the repository, branch, commit and environment', async () => {
    const html = (await renderHtml())['slack-failure']!;
    expect(html).toContain('<div class="header">CI/CD pipeline failed</div>');
    expect(html).toContain('• test — failed');
    expect(html).toContain('acme/shop');
    expect(html).toContain('3f9c2e1');
    expect(html).toContain('<a href="https://shop.example.com">https://shop.example.com</a>');
    expect(html).toContain('background:#E01E5A');
  });
});
