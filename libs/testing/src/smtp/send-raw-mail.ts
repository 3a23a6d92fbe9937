import { Socket } from 'node:net';

export interface RawMail {
  readonly port: number;
  readonly host?: string;
  /** MAIL FROM; `''` is the null sender that bounces and reports use. */
  readonly from: string;
  readonly to: readonly string[];
  /** The whole message, headers and body (CRLF or LF line ends). */
  readonly message: string;
}

/** How the server answered: the reply to each RCPT, and to the end of DATA (absent when no RCPT was accepted). */
export interface RawMailResult {
  readonly rcpt: readonly { readonly address: string; readonly code: number; readonly text: string }[];
  readonly data?: { readonly code: number; readonly text: string };
}

/**
 * Mails a message as another mail server would (what a DSN or a feedback loop does): a plain SMTP
 * conversation over one socket, without a mail library, so a test sees every reply code. Tests
 * only (libs/testing): no TLS, no AUTH.
 */
export async function sendRawMail(mail: RawMail): Promise<RawMailResult> {
  const socket = new Socket();
  const replies = replyReader(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(mail.port, mail.host ?? '127.0.0.1', () => resolve());
  });
  try {
    const send = async (line: string) => {
      socket.write(`${line}\r\n`);
      return replies.next();
    };
    expectCode(await replies.next(), 220, 'greeting');
    expectCode(await send('EHLO test.invalid'), 250, 'EHLO');
    expectCode(await send(`MAIL FROM:<${mail.from}>`), 250, 'MAIL FROM');
    const rcpt: Array<{ address: string; code: number; text: string }> = [];
    for (const address of mail.to) rcpt.push({ address, ...(await send(`RCPT TO:<${address}>`)) });
    if (!rcpt.some((r) => r.code === 250)) {
      await send('QUIT');
      return { rcpt };
    }
    expectCode(await send('DATA'), 354, 'DATA');
    const body = mail.message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    const data = await send(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.`);
    await send('QUIT');
    return { rcpt, data };
  } finally {
    socket.destroy();
  }
}

function expectCode(reply: { code: number; text: string }, code: number, step: string): void {
  if (reply.code !== code) throw new Error(`SMTP ${step}: expected ${code}, got ${reply.code} ${reply.text}`);
}

/** Replies in order, multi-line ones (`250-…`) joined. */
function replyReader(socket: Socket) {
  let buffer = '';
  const ready: Array<{ code: number; text: string }> = [];
  const waiting: Array<(reply: { code: number; text: string }) => void> = [];
  let lines: string[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      lines.push(line.slice(4));
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), text: lines.join('\n') };
      lines = [];
      const waiter = waiting.shift();
      if (waiter) waiter(reply);
      else ready.push(reply);
    }
  });
  return {
    next: () =>
      new Promise<{ code: number; text: string }>((resolve, reject) => {
        const reply = ready.shift();
        if (reply) return resolve(reply);
        const timer = setTimeout(() => reject(new Error('SMTP: no reply within 10 s')), 10_000);
        waiting.push((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      }),
  };
}
