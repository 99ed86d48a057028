import { describe, expect, it } from '@jest/globals';
import { mrkdwnToHtml, previewHtml } from '@pipeline-toolkit/slack';

describe('previewHtml', () => {
  it('renders mrkdwn and links, and never lets message text become markup', () => {
    expect(mrkdwnToHtml('*Branch*\n<https://github.com/a/b/tree/x|x> `c` _i_')).toBe(
      '<b>Branch</b><br><a href="https://github.com/a/b/tree/x">x</a> <code>c</code> <i>i</i>',
    );
    // Slack text arrives &-escaped; a branch named like a tag stays text, a javascript: link goes nowhere.
    expect(mrkdwnToHtml('&lt;script&gt;alert(1)&lt;/script&gt; <javascript:alert(1)|click>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; <a href="#">click</a>',
    );
    const page = previewHtml({ text: '<b>t</b>', attachments: [{ color: 'red;background:url(x)', blocks: [{ type: 'divider' }] }] });
    expect(page).toContain('<title>&lt;b&gt;t&lt;/b&gt;</title>');
    expect(page).toContain('style="background:#ddd"');
  });
});
