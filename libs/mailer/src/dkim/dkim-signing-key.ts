import { createPrivateKey } from 'node:crypto';

/**
 * Headers a DKIM signature covers when the message has them. `List-Unsubscribe` and
 * `List-Unsubscribe-Post` must be signed for one-click unsubscribe (RFC 8058 §4; Gmail and Yahoo
 * bulk-sender rules); nodemailer's default list lacks the `-Post` one (and `Feedback-ID`).
 */
const DKIM_SIGNED_HEADERS: readonly string[] = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'In-Reply-To',
  'References',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  // Gmail's feedback loop only reports on a Feedback-ID the DKIM signature covers.
  'Feedback-ID',
  'X-Mailroom-Newsletter-Id',
];

/** The private key is unusable: wrong format, not RSA, encrypted. Never carries the key itself. */
export class DkimKeyError extends Error {
  override readonly name: string = 'DkimKeyError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/**
 * A DKIM key of one sending domain. The PEM sits in a private field: logging or serialising the
 * config that holds it shows the domain and selector only.
 */
export class DkimSigningKey {
  /** The `d=` domain: messages whose From is this domain (or a subdomain of it) are signed with it. */
  readonly domain: string;
  /** The `s=` selector: the public key is published at `<selector>._domainkey.<domain>`. */
  readonly selector: string;
  readonly #privateKeyPem: string;

  constructor(domain: string, selector: string, privateKeyPem: string) {
    let type: string | undefined;
    try {
      type = createPrivateKey(privateKeyPem).asymmetricKeyType;
    } catch (error) {
      // crypto's message names the decoder step, never the key; keep it as the cause only.
      throw new DkimKeyError('is not a readable unencrypted PEM private key', { cause: error });
    }
    // nodemailer signs rsa-sha256 only.
    if (type !== 'rsa') throw new DkimKeyError(`must be an RSA key (got ${type ?? 'unknown'})`);
    this.domain = domain.toLowerCase();
    this.selector = selector;
    this.#privateKeyPem = privateKeyPem;
  }

  /** What nodemailer's per-message `dkim` option takes. */
  signingOptions(): { domainName: string; keySelector: string; privateKey: string; headerFieldNames: string } {
    return {
      domainName: this.domain,
      keySelector: this.selector,
      privateKey: this.#privateKeyPem,
      headerFieldNames: DKIM_SIGNED_HEADERS.join(':'),
    };
  }

  toJSON(): { domain: string; selector: string } {
    return { domain: this.domain, selector: this.selector };
  }
}

/**
 * The key to sign a message from `from` (`addr` or `Name <addr>`) with: the key of its domain, or
 * else of the nearest parent domain (DMARC relaxed alignment accepts `d=acme.example` for
 * `news.acme.example`). None: the message goes out unsigned.
 */
export function dkimKeyFor(from: string, keys: readonly DkimSigningKey[]): DkimSigningKey | undefined {
  if (keys.length === 0) return undefined;
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  let domain = address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
  while (domain.includes('.')) {
    const key = keys.find((k) => k.domain === domain);
    if (key) return key;
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return undefined;
}
