import type { Readable } from 'node:stream';
import DKIM from 'nodemailer/lib/dkim';
import MailComposer from 'nodemailer/lib/mail-composer';
import { dkimKeyFor, type DkimSigningKey } from '../dkim/dkim-signing-key';
import type { OutgoingEmail } from '../outgoing-email';
import { toMailOptions } from './mail-options';

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
 * Builds the message before any connection or rate-limit token is taken: composing and signing
 * cost CPU (about 0.5 ms, plus 1-2 ms for an RSA-2048 signature), which should not sit between a
 * token and the SMTP transaction it pays for.
 */
export async function composeEmail(email: OutgoingEmail, dkimKeys: readonly DkimSigningKey[]): Promise<ComposedEmail> {
  try {
    const node = new MailComposer(toMailOptions(email)).compile();
    const envelope = node.getEnvelope();
    // SMTP carries CRLF line ends only (nodemailer's DATA stream would convert bare LFs from the
    // body); convert first, so the DKIM body hash covers exactly the bytes that go on the wire.
    const unsigned = toCrlf(await node.build());
    const key = dkimKeyFor(email.from, dkimKeys);
    const raw = key ? await collect(new DKIM(key.signingOptions()).sign(unsigned)) : unsigned;
    return { envelope: { from: envelope.from, to: [...envelope.to] }, raw };
  } catch (error) {
    throw new ComposeError(`The message could not be composed: ${(error as Error).message}`, { cause: error });
  }
}

function toCrlf(message: Buffer): Buffer {
  // latin1 maps bytes 1:1, so this touches line ends only, whatever the encoding of the parts.
  return Buffer.from(message.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
