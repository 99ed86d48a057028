import { describe, expect, it } from '@jest/globals';
import { mrkdwnToHtml, mrkdwnToText, previewHtml, previewText } from '@pipeline-toolkit/slack';

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

describe('previewText', () => {
  it('renders mrkdwn as plain text: links as label (url), no markers, entities decoded', () => {
    expect(mrkdwnToText('*Run* <https://x.test/r/1|#42> _on_ `main` &lt;a&amp;b&gt; <https://y.test>')).toBe(
      'Run #42 (https://x.test/r/1) on main <a&b> https://y.test',
    );
  });

  it('names the status of the colour bar and prints each block on its own lines', () => {
    const text = previewText({
      attachments: [
        {
          color: '#2EB67D',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: 'Deployed' } },
            { type: 'section', fields: [{ type: 'mrkdwn', text: '*Branch*\nmain' }] },
            { type: 'divider' },
            {
              type: 'context',
              elements: [
                { type: 'mrkdwn', text: 'a' },
                { type: 'mrkdwn', text: 'b' },
              ],
            },
          ],
        },
      ],
    });
    expect(text).toBe(['[success]', 'DEPLOYED', 'Branch: main', '─'.repeat(40), 'a · b'].join('\n'));
  });
});
