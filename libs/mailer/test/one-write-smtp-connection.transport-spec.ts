import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { OneWriteSmtpConnection } from '../src/pool/one-write-smtp-connection';
import { SmtpSink } from '@mailroom/testing';

// The sender's SMTP connection writes a message's text, closing dot included, in one socket write
// (one syscall per email less than nodemailer's own stream, and no byte-by-byte loop). Counted on
// the client's socket, against nodemailer's plain connection as the control.

jest.setTimeout(15_000);

const MESSAGE = Buffer.from('Subject: hi\r\n\r\n.a line starting with a dot\r\n.\r\nthe end\r\n');

/** Sends MESSAGE over a fresh connection and returns the socket writes made after DATA's 354. */
async function textWrites(Connection: typeof SMTPConnection, port: number): Promise<string[]> {
  const connection = new Connection({ host: '127.0.0.1', port, logger: false, debug: false });
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  const socket = (connection as unknown as { _socket: { write: (chunk: Buffer | string, ...rest: unknown[]) => boolean } })._socket;
  const writes: string[] = [];
  const write = socket.write.bind(socket);
  socket.write = (chunk, ...rest) => {
    writes.push(chunk.toString());
    return write(chunk, ...rest);
  };
  await new Promise<void>((resolve, reject) =>
    connection.send({ from: 'news@acme.example', to: ['reader@example.org'] }, MESSAGE, (error) => (error ? reject(error) : resolve())),
  );
  connection.close();
  // Everything after the envelope (MAIL FROM, RCPT TO, DATA in one corked write) is the text.
  return writes.filter((w) => !/^(MAIL FROM|RCPT TO|DATA)/.test(w));
}

describe('OneWriteSmtpConnection', () => {
  it("writes the text and its closing dot in one write, where nodemailer's own stream makes two; the server gets the same message", async () => {
    const sink = await SmtpSink.start();
    try {
      const ours = await textWrites(OneWriteSmtpConnection, sink.port);
      const theirs = await textWrites(SMTPConnection, sink.port);
      expect(ours).toEqual(['Subject: hi\r\n\r\n..a line starting with a dot\r\n..\r\nthe end\r\n.\r\n']);
      expect(theirs).toHaveLength(2);
      expect(theirs.join('')).toBe(ours[0]);
      expect(sink.messages.map((m) => m.raw.toString())).toEqual([MESSAGE.toString(), MESSAGE.toString()]);
    } finally {
      await sink.close();
    }
  });
});
