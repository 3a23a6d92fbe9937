/**
 * An SMTP URL fit for logs: the password (and any query string, which nodemailer also reads
 * options and secrets from) is replaced by `***`. Something that is not a URL is masked whole,
 * since we cannot tell where its secret is.
 */
export function maskSmtpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '***';
  }
  if (parsed.password) parsed.password = '***';
  if (parsed.search) parsed.search = '?***';
  // URL escapes "*" in userinfo as %2A; show the mask as written.
  return parsed.toString().replace(/%2A%2A%2A/g, '***');
}
