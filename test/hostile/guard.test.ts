import { describe, expect, it } from '@jest/globals';
import { resolveTarget } from '@pipeline-toolkit/smoke';

/** A suite whose production target is http://prod.example.test:8443/app. */
const suite = {
  source: 'smoke.yml',
  env: {},
  targets: { production: { url: 'http://prod.example.test:8443/app' }, local: { url: 'http://localhost:8000' } },
} as unknown as Parameters<typeof resolveTarget>[0];

describe('the production guard compares normalised origins', () => {
  it.each([
    'http://prod.example.test:8443/app',
    'http://PROD.Example.TEST:8443/app',
    'http://prod.example.test.:8443/app',
    'http://user@prod.example.test:8443/app',
    'http://user:pw@prod.example.test:8443/',
    'http://prod.example.test:8443/other/path?x=1',
    'http://prod.example.test:8443',
  ])('%s is production', (url) => {
    expect(resolveTarget(suite, url)).toMatchObject({ environment: 'production', production: true });
  });

  it.each(['https://prod.example.test:8443/app', 'http://prod.example.test:8444/app', 'http://staging.example.test:8443/app'])(
    '%s is another origin',
    (url) => {
      expect(resolveTarget(suite, url).production).toBe(false);
    },
  );

  it('default ports are the same origin as no port', () => {
    const https = { ...suite, targets: { production: { url: 'https://prod.example.test/' } } } as typeof suite;
    expect(resolveTarget(https, 'https://prod.example.test:443/x').production).toBe(true);
    expect(resolveTarget(https, 'HTTPS://Prod.Example.Test./').production).toBe(true);
  });
});
