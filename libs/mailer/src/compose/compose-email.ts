import type { Readable } from 'node:stream';
import DKIM from 'nodemailer/lib/dkim';
import { dkimKeyFor, type DkimSigningKey } from '../dkim/dkim-signing-key';
import type { OutgoingEmail } from '../outgoing-email';
import { MimeMessageWriter } from './mime-message';

/** One email as it goes over SMTP: the envelope and the finished MIME message, DKIM-signed when a key covers its From domain. */
export interface ComposedEmail {
  readonly envelope: { readonly from: string | false; readonly to: readonly string[] };
  readonly raw: Buffer;
}

/** Thrown when an email cannot be turned into MIME (nothing about the server or the recipient). */
export class ComposeError extends Error {
  override readonly name: string = 'ComposeError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/**
 * Builds messages before any connection or rate-limit token is taken: composing and signing cost
 * CPU (an RSA-2048 signature 1-2 ms), which should not sit between a token and the SMTP
 * transaction it pays for. One composer per mailer, so the encoded bodies of a newsletter are
 * shared by all its recipients (see MimeMessageWriter).
 */
export class MessageComposer {
  private readonly writer = new MimeMessageWriter();

  constructor(private readonly dkimKeys: readonly DkimSigningKey[] = []) {}

  async compose(email: OutgoingEmail): Promise<ComposedEmail> {
    try {
      const message = this.writer.write(email);
      const key = dkimKeyFor(email.from, this.dkimKeys);
      const raw = key ? await collect(new DKIM(key.signingOptions()).sign(message.raw)) : message.raw;
      return { envelope: message.envelope, raw };
    } catch (error) {
      throw new ComposeError(`The message could not be composed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** One message, composed (and signed) on its own. */
export function composeEmail(email: OutgoingEmail, dkimKeys: readonly DkimSigningKey[]): Promise<ComposedEmail> {
  return new MessageComposer(dkimKeys).compose(email);
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
