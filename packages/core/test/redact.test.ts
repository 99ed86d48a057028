import { describe, expect, it } from '@jest/globals';
import { ActionsLogger, Redactor, redactPatterns, formatCommand, looksSecret } from '@pipeline-toolkit/core';

describe('redaction', () => {
  it('scrubs secret-like patterns from any text', () => {
    const webhook = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
    const text = [
      `webhook ${webhook} failed`,
      'token ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'key AKIAIOSFODNN7EXAMPLE',
      'db postgres://admin:hunter22@db.internal:5432/app',
      'GET https://api.example.com/x?token=abc123&page=2',
      'Authorization: Bearer abc.def.ghi',
      'slack xoxb-1234567890-abcdefghij',
    ].join('\n');
    const clean = redactPatterns(text);
    expect(clean).not.toContain('hooks.slack.com/services');
    expect(clean).not.toContain('ghp_abc');
    expect(clean).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(clean).not.toContain('hunter22');
    expect(clean).toContain('postgres://***@db.internal:5432/app');
    expect(clean).toContain('?token=***&page=2');
    expect(clean).toContain('Authorization: Bearer ***');
    expect(clean).not.toContain('xoxb-');
    expect(looksSecret('plain words')).toBe(false);
  });

  it('scrubs every kind of pattern, each alone in a text (no literal of another pattern to let it through)', () => {
    const samples: [string, string][] = [
      ['see https://hooks.slack.com/services/T0/B0/abcdefgh here', 'see *** here'],
      ['bot xoxb-1234567890-abcdef here', 'bot *** here'],
      ['pat ghp_abcdefghijklmnopqrstuvwxyz0123456789 here', 'pat *** here'],
      ['fine github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz here', 'fine *** here'],
      ['id ASIAIOSFODNN7EXAMPLE here', 'id *** here'],
      ['aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key: ***'],
      ['eks k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8 here', 'eks *** here'],
      ['jwt eyJhbGciOiJI.eyJzdWIiOiIx.SflKxwRJSMeKKF2QT4 here', 'jwt *** here'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- after', '*** after'],
      ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer ***'],
      ['clone https://user:pw@git.example.com/r.git', 'clone https://***@git.example.com/r.git'],
      ['https://x.example.com/a?sig=abcdef&page=2', 'https://x.example.com/a?sig=***&page=2'],
      // OAuth's implicit flow returns the token in the fragment
      ['https://app.example.com/cb#access_token=abcDEF123456789&state=x', 'https://app.example.com/cb#access_token=***&state=x'],
      [
        'nothing secret in this sentence, CVE-2021-44228 in log4j@2.14.1',
        'nothing secret in this sentence, CVE-2021-44228 in log4j@2.14.1',
      ],
    ];
    for (const [text, expected] of samples) expect(redactPatterns(text)).toBe(expected);
  });

  it('redacts the start of a token of a known format that ends a text cut short, and only there', () => {
    expect(redactPatterns(`title ${'x'.repeat(10)} AKIAZ3MXQ7…`)).toBe(`title ${'x'.repeat(10)} ***…`);
    expect(redactPatterns('see ghp_abcdefghij…')).toBe('see ***…');
    expect(redactPatterns('jwt eyJhbGciOiJI.eyJzd…')).toBe('jwt ***…');
    // not at the end, or not cut: an ordinary word that starts like a token stays
    expect(redactPatterns('AKIA… is a prefix; ghp_ too')).toBe('AKIA… is a prefix; ghp_ too');
    expect(redactPatterns('the eyJ prefix')).toBe('the eyJ prefix');
  });

  it('replaces registered secrets, longest first, line by line', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    r.add('s3cr3t-value-longer');
    r.add('ab'); // too short to mask
    expect(r.redact('a s3cr3t-value-longer b s3cr3t-value ab')).toBe('a *** b *** ab');
  });

  it('masks with add-mask and redacts every later line of the actions logger', () => {
    const lines: string[] = [];
    const log = new ActionsLogger({ write: (l) => lines.push(l) });
    log.setSecret('very-secret-token');
    log.info('using very-secret-token now');
    log.error('failed: very-secret-token\nline two', { file: 'a,b.ts', line: 3 });
    expect(lines).toEqual(['::add-mask::very-secret-token', 'using *** now', '::error file=a%2Cb.ts,line=3::failed: ***%0Aline two']);
  });

  it('formats workflow commands with escaped data and properties', () => {
    expect(formatCommand('warning', '100% done\r\n', { title: 'a:b' })).toBe('::warning title=a%3Ab::100%25 done%0D%0A');
  });
});
