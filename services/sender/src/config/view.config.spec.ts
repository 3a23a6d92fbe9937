import { DEVELOPMENT_UNSUBSCRIBE_SECRET, ViewTokens } from '@mailroom/contracts';
import { loadSenderConfig } from './sender.config';
import { parseUnsubscribeConfig, type UnsubscribeEnv } from './unsubscribe.config';
import { parseViewConfig } from './view.config';

const SECRET = 'prod-secret-0123456789-abcdefghijklmnop';
const parse = (overrides: Partial<UnsubscribeEnv>) => {
  const env: UnsubscribeEnv = { PUBLIC_BASE_URL: '', UNSUBSCRIBE_SECRET: '', UNSUBSCRIBE_MAILTO: '', nodeEnv: undefined, ...overrides };
  const problems: string[] = [];
  const unsubscribe = parseUnsubscribeConfig(env, problems);
  expect(problems).toEqual([]);
  return parseViewConfig(env, unsubscribe!);
};

describe('parseViewConfig', () => {
  it("uses the unsubscribe links' base URL and secret (under its own salt)", () => {
    const config = parse({ PUBLIC_BASE_URL: 'https://Mail.Acme.Example/mailroom/', UNSUBSCRIBE_SECRET: SECRET });
    expect(config?.baseUrl).toBe('https://mail.acme.example/mailroom');
    const token = config!.tokens.sign({ newsletterId: 'n', batchIndex: 0, email: 'a@example.org' });
    expect(new ViewTokens(SECRET).verify(token)).toMatchObject({ ok: true });
  });

  it('is off without PUBLIC_BASE_URL or with the development secret (the unsubscribe fallbacks)', () => {
    expect(parse({})).toBeUndefined();
    expect(parse({ UNSUBSCRIBE_SECRET: SECRET })).toBeUndefined();
    expect(parse({ PUBLIC_BASE_URL: 'http://localhost:3000' })).toBeUndefined();
    expect(parse({ PUBLIC_BASE_URL: 'http://localhost:3000', UNSUBSCRIBE_SECRET: DEVELOPMENT_UNSUBSCRIBE_SECRET })).toBeUndefined();
    expect(parse({ PUBLIC_BASE_URL: 'http://localhost:3000', UNSUBSCRIBE_SECRET: SECRET })).toMatchObject({ baseUrl: 'http://localhost:3000' });
  });

  it('is part of the sender configuration when set up', () => {
    expect(loadSenderConfig({ SMTP_URL: 'smtp://h:25', PUBLIC_BASE_URL: 'https://mail.acme.example', UNSUBSCRIBE_SECRET: SECRET }).view).toMatchObject({ baseUrl: 'https://mail.acme.example' });
    expect(loadSenderConfig({ SMTP_URL: 'smtp://h:25' }).view).toBeUndefined();
  });
});
