import { DEVELOPMENT_UNSUBSCRIBE_SECRET } from '@mailroom/contracts';
import { DEVELOPMENT_PUBLIC_BASE_URL, parseUnsubscribeConfig, type UnsubscribeEnv } from './unsubscribe.config';

const SECRET = 'prod-secret-0123456789-abcdefghijklmnop';
const env = (overrides: Partial<UnsubscribeEnv>): UnsubscribeEnv => ({
  PUBLIC_BASE_URL: '',
  UNSUBSCRIBE_SECRET: '',
  UNSUBSCRIBE_MAILTO: '',
  nodeEnv: undefined,
  ...overrides,
});
const parse = (overrides: Partial<UnsubscribeEnv>) => {
  const problems: string[] = [];
  const config = parseUnsubscribeConfig(env(overrides), problems);
  return { config, problems };
};

describe('parseUnsubscribeConfig', () => {
  it('works with nothing set outside production: localhost links, the development secret', () => {
    const { config, problems } = parse({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ baseUrl: DEVELOPMENT_PUBLIC_BASE_URL, developmentSecret: true });
    expect(config?.mailto).toBeUndefined();
  });

  it('requires PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET in production', () => {
    const { config, problems } = parse({ nodeEnv: 'production' });
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      expect.stringMatching(/^PUBLIC_BASE_URL: is required in production/),
      expect.stringMatching(/^UNSUBSCRIBE_SECRET: is required in production/),
    ]);
  });

  it('refuses the development secret for links that reach other people, even outside production', () => {
    expect(parse({ PUBLIC_BASE_URL: 'https://mail.acme.example' }).problems).toEqual([
      expect.stringMatching(/^UNSUBSCRIBE_SECRET: is required when PUBLIC_BASE_URL is not a localhost URL/),
    ]);
    expect(parse({ PUBLIC_BASE_URL: 'https://mail.acme.example', UNSUBSCRIBE_SECRET: DEVELOPMENT_UNSUBSCRIBE_SECRET }).problems).toEqual([
      expect.stringMatching(/^UNSUBSCRIBE_SECRET: is the public development secret/),
    ]);
  });

  it('takes an https origin with a path prefix, and a mailto', () => {
    const { config, problems } = parse({
      PUBLIC_BASE_URL: 'https://Mail.Acme.Example/mailroom/',
      UNSUBSCRIBE_SECRET: SECRET,
      UNSUBSCRIBE_MAILTO: 'mailto:unsubscribe@acme.example',
      nodeEnv: 'production',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ baseUrl: 'https://mail.acme.example/mailroom', mailto: 'unsubscribe@acme.example', developmentSecret: false });
  });

  it('allows http only for localhost (docker compose on a laptop)', () => {
    expect(parse({ PUBLIC_BASE_URL: 'http://localhost:3000', UNSUBSCRIBE_SECRET: SECRET, nodeEnv: 'production' }).problems).toEqual([]);
    expect(parse({ PUBLIC_BASE_URL: 'http://127.0.0.1:8080' }).problems).toEqual([]);
  });

  it.each([
    ['not a URL', 'mail.acme.example', 'must be an absolute URL'],
    ['http to a public host', 'http://mail.acme.example', 'must be https://'],
    ['another scheme', 'ftp://mail.acme.example', 'must be https://'],
    ['credentials', 'https://user:pw@mail.acme.example', 'must not contain credentials'],
    ['a query', 'https://mail.acme.example/?a=1', 'must not have a query or a fragment'],
  ])('refuses PUBLIC_BASE_URL with %s', (_what, url, why) => {
    const { problems } = parse({ PUBLIC_BASE_URL: url, UNSUBSCRIBE_SECRET: SECRET });
    expect(problems).toEqual([expect.stringContaining(`PUBLIC_BASE_URL: ${why}`)]);
  });

  it('refuses a short secret and a bad mailto, never echoing the secret', () => {
    const { problems } = parse({ UNSUBSCRIBE_SECRET: 'short-secret-xyz', UNSUBSCRIBE_MAILTO: 'unsub@acme.example?subject=x' });
    expect(problems).toEqual([
      'UNSUBSCRIBE_SECRET: must be at least 32 characters',
      expect.stringMatching(/^UNSUBSCRIBE_MAILTO: must be a plain address/),
    ]);
    expect(problems.join('\n')).not.toContain('short-secret-xyz');
  });
});
