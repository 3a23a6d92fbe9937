import { maskSmtpUrl } from './mask-smtp-url';

describe('maskSmtpUrl', () => {
  it.each([
    ['smtp://user:s3cret@smtp.example.org:587', 'smtp://user:***@smtp.example.org:587'],
    ['smtps://AKIA123:abc%2Fdef@email-smtp.eu-west-1.amazonaws.com:465', 'smtps://AKIA123:***@email-smtp.eu-west-1.amazonaws.com:465'],
    ['smtp://127.0.0.1:2525', 'smtp://127.0.0.1:2525'],
    ['smtp://user@host:25', 'smtp://user@host:25'],
    ['smtp://host:25/?pass=secret', 'smtp://host:25/?***'],
    ['not a url with secret', '***'],
  ])('%s → %s', (url, masked) => {
    expect(maskSmtpUrl(url)).toBe(masked);
  });

  it('never returns the password', () => {
    expect(maskSmtpUrl('smtp://u:topsecretpw@h:1')).not.toContain('topsecretpw');
  });
});
