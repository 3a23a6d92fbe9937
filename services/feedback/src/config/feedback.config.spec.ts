import { DEVELOPMENT_BOUNCE_SECRET } from '@mailroom/contracts';
import { ConfigValidationError } from '@mailroom/config';
import { DEVELOPMENT_BOUNCE_DOMAIN, loadFeedbackConfig } from './feedback.config';

const SECRET = 'a-bounce-secret-of-at-least-32-characters!';

/** The problems loadFeedbackConfig reports (none: []), never the secret. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadFeedbackConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.filter((p) => p.startsWith('BOUNCE_'));
    throw error;
  }
}

describe('loadFeedbackConfig: BOUNCE_DOMAIN and BOUNCE_SECRET', () => {
  it('works with nothing set outside production: bounces.localhost and the development secret', () => {
    const config = loadFeedbackConfig({});
    expect(config).toMatchObject({ bounceDomain: DEVELOPMENT_BOUNCE_DOMAIN, developmentSecret: true });
  });

  it('refuses the public development secret, set or by default, for a public bounce domain outside production, as the sender does', () => {
    expect(problemsOf({ BOUNCE_DOMAIN: 'bounces.acme.com' })).toEqual([expect.stringMatching(/^BOUNCE_SECRET: is required when BOUNCE_DOMAIN is a public domain/)]);
    expect(problemsOf({ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: DEVELOPMENT_BOUNCE_SECRET })).toEqual([expect.stringContaining('public development secret')]);
    expect(problemsOf({ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: SECRET })).toEqual([]);
    // A reserved test domain takes it: nothing from the Internet reaches it.
    expect(loadFeedbackConfig({ BOUNCE_DOMAIN: 'Bounces.Mailroom.TEST.' })).toMatchObject({ bounceDomain: 'bounces.mailroom.test', developmentSecret: true });
  });

  it('requires both in production, never quoting the secret', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^BOUNCE_DOMAIN: is required in production/), expect.stringMatching(/^BOUNCE_SECRET: is required in production/)]);
    const short = problemsOf({ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: 'short-secret' });
    expect(short).toEqual([expect.stringContaining('32')]);
    expect(short.join()).not.toContain('short-secret');
  });

  it.each([
    [{}, true],
    [{ BOUNCE_DOMAIN: 'bounces.test' }, true],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com' }, false],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: DEVELOPMENT_BOUNCE_SECRET }, false],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: SECRET }, true],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com.', BOUNCE_SECRET: SECRET }, true],
    [{ BOUNCE_DOMAIN: 'not a domain', BOUNCE_SECRET: SECRET }, false],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: SECRET, NODE_ENV: 'production' }, true],
    [{ BOUNCE_DOMAIN: 'bounces.test', BOUNCE_SECRET: DEVELOPMENT_BOUNCE_SECRET, NODE_ENV: 'production' }, false],
  ] as Array<[Record<string, string>, boolean]>)('decides %j as the sender does (services/sender/src/config/feedback.config.spec.ts): accepted %s', (env, accepted) => {
    expect(problemsOf(env).length === 0).toBe(accepted);
  });
});
