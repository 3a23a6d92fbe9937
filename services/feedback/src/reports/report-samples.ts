/**
 * Reports as mail servers send them, for the tests of this service (unit and system): a DSN
 * (RFC 3464), an ARF complaint (RFC 5965), an out-of-office auto-reply, and the kind of free-text
 * bounce some servers still send. Not used at runtime.
 */
/**
 * `recipient`: the address the DSN names (Final-Recipient, Original-Recipient, the enclosed To).
 * `unnamed`: it names no recipient at all (no recipient fields, no To), as some servers send them.
 */
export function dsnSample(options: { recipient: string; status?: string; action?: string; messageId?: string; unnamed?: boolean }): string {
  const named = options.unnamed !== true;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'To: bounce@bounces.localhost',
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
    '',
    '--dsn-boundary',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.net.',
    "I'm sorry to have to inform you that your message could not be delivered.",
    '',
    '--dsn-boundary',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'Arrival-Date: Sat,  5 Dec 2026 20:00:00 +0000 (UTC)',
    '',
    ...(named ? [`Final-Recipient: rfc822; ${options.recipient}`, `Original-Recipient: rfc822;${options.recipient}`] : []),
    `Action: ${options.action ?? 'failed'}`,
    `Status: ${options.status ?? '5.1.1'}`,
    `Diagnostic-Code: smtp; 550 ${options.status ?? '5.1.1'} ${named ? `<${options.recipient}>: Recipient address rejected: ` : ''}User unknown`,
    '',
    '--dsn-boundary',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: ${options.messageId ?? '<unrelated@example.org>'}`,
    'From: News <news@example.org>',
    ...(named ? [`To: ${options.recipient}`] : []),
    'Subject: November news',
    '',
    '--dsn-boundary--',
    '',
  ].join('\r\n');
}

/**
 * `redacted`: the recipient left out, as feedback loops that redact reports send them (RFC 6590):
 * no Original-Rcpt-To, no To line in the enclosed original; only its Message-ID is left to trace it.
 */
export function arfSample(options: { recipient: string; messageId: string; feedbackType?: string; redacted?: boolean }): string {
  const named = options.redacted !== true;
  return [
    'From: Feedback Loop <fbl@isp.example.net>',
    'To: fbl@bounces.localhost',
    'Subject: Abuse report',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="arf-boundary"',
    '',
    '--arf-boundary',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '',
    '--arf-boundary',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${options.feedbackType ?? 'abuse'}`,
    'User-Agent: ExampleFBL/1.0',
    'Version: 1',
    ...(named ? [`Original-Rcpt-To: ${options.recipient}`] : []),
    'Source-IP: 192.0.2.1',
    '',
    '--arf-boundary',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    `Message-ID: ${options.messageId}`,
    'From: News <news@example.org>',
    ...(named ? [`To: ${options.recipient}`] : []),
    'Subject: November news',
    '',
    'Hello reader',
    '',
    '--arf-boundary--',
    '',
  ].join('\r\n');
}

export const AUTO_REPLY_SAMPLE = [
  'From: Reader <reader@example.org>',
  'To: b1xxxx@bounces.localhost',
  'Subject: Out of office',
  'Auto-Submitted: auto-replied',
  'Content-Type: text/plain',
  '',
  'I am away until Monday.',
  '',
].join('\r\n');

export function freeTextBounceSample(options: { recipient: string; messageId: string }): string {
  return [
    'From: postmaster@legacy.example.net',
    'To: bounce@bounces.localhost',
    'Subject: failure notice',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="legacy"',
    '',
    '--legacy',
    'Content-Type: text/plain',
    '',
    `Sorry, we were unable to deliver your message to ${options.recipient}.`,
    'Remote host said: 550 5.1.1 mailbox unavailable',
    '',
    '--legacy',
    'Content-Type: message/rfc822',
    '',
    `Message-ID: ${options.messageId}`,
    `To: ${options.recipient}`,
    'Subject: November news',
    '',
    'Hello',
    '--legacy--',
    '',
  ].join('\r\n');
}
