import { simpleParser, type HeaderValue } from 'mailparser';

/** One recipient block of a delivery status notification (RFC 3464 §2.3), or what a free-text bounce gives. */
export interface DeliveryStatus {
  /** Final-Recipient, else Original-Recipient (the `rfc822;` type stripped). */
  readonly recipients: readonly string[];
  readonly action?: string;
  /** Enhanced status code (RFC 3463), e.g. `5.1.1`. */
  readonly status?: string;
  readonly diagnostic?: string;
}

export type Report =
  | { readonly type: 'bounce'; readonly statuses: readonly DeliveryStatus[]; readonly tokenSources: readonly string[]; readonly addresses: readonly string[] }
  | { readonly type: 'complaint'; readonly feedbackType: string; readonly tokenSources: readonly string[]; readonly addresses: readonly string[] }
  | { readonly type: 'auto-reply' }
  | { readonly type: 'unrecognised' };

const STATUS_CODE = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/**
 * What a message received on the bounce domain is: a bounce (a DSN, `multipart/report;
 * report-type=delivery-status`, or a non-standard one that still names the status and the
 * recipient), a complaint (ARF, RFC 5965 `report-type=feedback-report`), an auto-reply (ignored),
 * or something else. mailparser decodes the MIME; the report fields are read from its text, since
 * it folds `message/delivery-status` and `message/feedback-report` parts into the text.
 * `tokenSources`: text in which a signed token may appear (the enclosed original's Message-ID).
 */
export async function readReport(raw: Buffer): Promise<Report> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true });
  const contentType = mail.headers.get('content-type');
  const reportType = isStructured(contentType) && contentType.value.toLowerCase() === 'multipart/report' ? (contentType.params['report-type'] ?? '').toLowerCase() : '';
  // mailparser folds some report parts into the text and keeps others as attachments (and shows
  // an inline original without its Message-ID): read the fields from both, and look for tokens
  // and addresses in the raw message as well as in the decoded parts.
  const parts = mail.attachments.map((a) => ({ type: a.contentType.toLowerCase(), text: a.content.toString('utf8') }));
  const text = [mail.text ?? '', ...parts.filter((p) => /^message\/(delivery-status|feedback-report)$/.test(p.type)).map((p) => p.text)].join('\n\n');
  const enclosed = [raw.toString('utf8'), ...parts.filter((p) => /^(message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)$/.test(p.type)).map((p) => p.text)];
  const tokenSources = [text, ...enclosed];
  const fields = reportFields(text);

  if (reportType === 'feedback-report' || fields.has('feedback-type')) {
    const addresses = [...(fields.get('original-rcpt-to') ?? []), ...enclosed.flatMap(enclosedRecipients)];
    return { type: 'complaint', feedbackType: (fields.get('feedback-type')?.[0] ?? 'abuse').toLowerCase(), tokenSources, addresses };
  }
  if (reportType === 'delivery-status' || fields.has('final-recipient') || fields.has('original-recipient')) {
    const statuses = deliveryStatuses(text);
    return { type: 'bounce', statuses, tokenSources, addresses: [...statuses.flatMap((s) => s.recipients), ...enclosed.flatMap(enclosedRecipients)] };
  }
  if (isAutoReply(mail.headers)) return { type: 'auto-reply' };
  // A non-standard bounce from a mailer daemon: the status code and the enclosed original are enough.
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  const code = STATUS_CODE.exec(text);
  if (/^(mailer-daemon|postmaster)@/.test(from) && code) {
    return {
      type: 'bounce',
      statuses: [{ recipients: [], action: code[1] === '5' ? 'failed' : 'delayed', status: code[0], diagnostic: firstLineWith(text, code[0]) }],
      tokenSources,
      addresses: enclosed.flatMap(enclosedRecipients),
    };
  }
  return { type: 'unrecognised' };
}

/** `Name: value` lines of the report parts, by lower-case name (a name may repeat, one value per recipient). */
function reportFields(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (!match) continue;
    const name = match[1]!.toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), stripAddressType(match[2]!.trim())]);
  }
  return fields;
}

/**
 * Per-recipient blocks: the paragraphs (RFC 3464 separates them by blank lines) that name a
 * recipient, or that give a status without naming one (a server that leaves the recipient out:
 * the bounce address still says who it is about).
 */
function deliveryStatuses(text: string): DeliveryStatus[] {
  const statuses: DeliveryStatus[] = [];
  for (const paragraph of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields = reportFields(paragraph);
    const recipients = [...(fields.get('final-recipient') ?? []), ...(fields.get('original-recipient') ?? [])];
    if (recipients.length === 0 && !(fields.has('status') && fields.has('action'))) continue;
    const action = fields.get('action')?.[0]?.toLowerCase();
    const status = fields.get('status')?.[0];
    const diagnostic = fields.get('diagnostic-code')?.[0]?.slice(0, 500);
    statuses.push({
      recipients,
      ...(action ? { action } : {}),
      ...(status ? { status: STATUS_CODE.exec(status)?.[0] ?? status } : {}),
      ...(diagnostic ? { diagnostic } : {}),
    });
  }
  return statuses;
}

/** `rfc822; ann@example.org` → `ann@example.org` (also `smtp; 550 …`). */
function stripAddressType(value: string): string {
  return value.replace(/^[A-Za-z0-9-]+;\s*/, '').replace(/^<(.*)>$/, '$1');
}

/**
 * Every address of a To line in an enclosed original (or anywhere in the raw report). Taking too
 * many is harmless: only the one with the signed address hash is ever used.
 */
function enclosedRecipients(message: string): string[] {
  return [...message.matchAll(/^To:\s*(.*(?:\r?\n[ \t].*)*)/gim)].flatMap((to) => [...to[1]!.matchAll(/<?([^<>\s,;"]+@[^<>\s,;"]+)>?/g)].map((m) => m[1]!));
}

function isAutoReply(headers: Map<string, HeaderValue>): boolean {
  const auto = headerText(headers.get('auto-submitted')).toLowerCase();
  if (auto !== '' && auto !== 'no') return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return true;
  return headerText(headers.get('precedence')).toLowerCase() === 'auto_reply';
}

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (isStructured(value)) return value.value;
  // Dates and address objects: none of the headers read here has that form.
  return '';
}

function isStructured(value: HeaderValue | undefined): value is { value: string; params: Record<string, string> } {
  return typeof value === 'object' && value !== null && 'value' in value && 'params' in value;
}

function firstLineWith(text: string, needle: string): string {
  return (text.split(/\r?\n/).find((line) => line.includes(needle)) ?? needle).trim().slice(0, 500);
}
