import { DEVELOPMENT_BOUNCE_SECRET } from '@mailroom/contracts';
import { parseFeedbackConfig, type FeedbackEnv } from './feedback.config';

const SECRET = 'a-bounce-secret-of-at-least-32-characters!';
const parse = (overrides: Partial<FeedbackEnv>) => {
  const problems: string[] = [];
  const config = parseFeedbackConfig({ BOUNCE_DOMAIN: '', BOUNCE_SECRET: '', nodeEnv: undefined, ...overrides }, problems);
  return { config, problems };
};

describe('parseFeedbackConfig', () => {
  it('works with nothing set outside production: no bounce domain, the development secret', () => {
    const { config, problems } = parse({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ developmentSecret: true });
    expect(config?.bounceDomain).toBeUndefined();
  });

  it('takes the bounce domain in lower case, without a trailing dot', () => {
    expect(parse({ BOUNCE_DOMAIN: 'Bounces.Mailroom.TEST.', BOUNCE_SECRET: SECRET }).config).toMatchObject({ bounceDomain: 'bounces.mailroom.test', developmentSecret: false });
  });

  it.each(['bounces', 'not a domain', 'b@acme.example', '-x.example'])('refuses BOUNCE_DOMAIN %j', (domain) => {
    expect(parse({ BOUNCE_DOMAIN: domain }).problems).toEqual([expect.stringMatching(/^BOUNCE_DOMAIN: must be a domain name/)]);
  });

  it('requires BOUNCE_SECRET in production and for a public bounce domain, never quoting it', () => {
    expect(parse({ nodeEnv: 'production' }).problems).toEqual([expect.stringMatching(/^BOUNCE_SECRET: is required in production/)]);
    expect(parse({ BOUNCE_DOMAIN: 'bounces.acme.com' }).problems).toEqual([expect.stringMatching(/^BOUNCE_SECRET: is required when BOUNCE_DOMAIN is a public domain/)]);
    expect(parse({ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: DEVELOPMENT_BOUNCE_SECRET }).problems).toEqual([expect.stringContaining('public development secret')]);
    const short = parse({ BOUNCE_SECRET: 'short-secret' }).problems;
    expect(short).toEqual([expect.stringContaining('32')]);
    expect(short.join()).not.toContain('short-secret');
    expect(parse({ nodeEnv: 'production', BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: SECRET }).problems).toEqual([]);
  });
});

describe('parseFeedbackConfig: the rule the feedback service shares (services/feedback/src/config/feedback.config.spec.ts)', () => {
  const accepted = (env: Partial<FeedbackEnv>) => parse(env).problems.length === 0;

  it.each([
    [{}, true],
    [{ BOUNCE_DOMAIN: 'bounces.test' }, true],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com' }, false],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: DEVELOPMENT_BOUNCE_SECRET }, false],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: SECRET }, true],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com.', BOUNCE_SECRET: SECRET }, true],
    [{ BOUNCE_DOMAIN: 'not a domain', BOUNCE_SECRET: SECRET }, false],
    [{ BOUNCE_DOMAIN: 'bounces.acme.com', BOUNCE_SECRET: SECRET, nodeEnv: 'production' }, true],
    [{ BOUNCE_DOMAIN: 'bounces.test', BOUNCE_SECRET: DEVELOPMENT_BOUNCE_SECRET, nodeEnv: 'production' }, false],
  ] as Array<[Partial<FeedbackEnv>, boolean]>)('decides %j: accepted %s', (env, expected) => {
    expect(accepted(env)).toBe(expected);
  });
});
