import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/v1/newsletters', '/v1/newsletters'],
    ['/v1/newsletters?api_key=secret-0123456789abcdef', '/v1/newsletters?api_key=[redacted]'],
    ['/v1/x?page=2&token=abc#frag', '/v1/x?page=[redacted]&token=[redacted]'],
    ['/v1/x?secret-without-name', '/v1/x?secret-without-name=[redacted]'],
    ['/v1/x?', '/v1/x?'],
  ])('%s → %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
