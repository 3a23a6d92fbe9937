import { PassThrough, type Transform } from 'node:stream';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { smtpDataText } from './smtp-data-text';

/** What nodemailer's own DataStream writes for the same message. */
function nodemailerText(message: Buffer): Promise<Buffer> {
  const stream = new DataStream() as unknown as Transform;
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  return new Promise((resolve) => {
    stream.on('end', () => resolve(Buffer.concat(out)));
    new PassThrough().end(message).pipe(stream);
  });
}

describe('smtpDataText', () => {
  const cases: Record<string, string> = {
    'plain lines': 'Subject: Hi\r\n\r\nHello\r\nBye\r\n',
    'no line end at the end': 'Subject: Hi\r\n\r\nHello',
    'a line holding only a dot': 'Subject: Hi\r\n\r\nabove\r\n.\r\nbelow\r\n',
    'lines starting with dots': '.first\r\n..second\r\n. third\r\n...\r\n',
    'a dot not at a line start': 'a.b\r\n x.\r\n',
    'a dot right after the last line end': 'text\r\n.',
    empty: '',
  };

  it.each(Object.entries(cases))('writes the same bytes as nodemailer for %s', async (_name, text) => {
    const message = Buffer.from(text, 'latin1');
    expect(smtpDataText(message)?.toString('latin1')).toBe((await nodemailerText(message)).toString('latin1'));
  });

  it('stuffs every dot at a line start and ends the text with a line holding only a dot', () => {
    expect(smtpDataText(Buffer.from('.a\r\n.\r\nb'))?.toString()).toBe('..a\r\n..\r\nb\r\n.\r\n');
  });

  it.each([
    ['a bare LF', 'one\ntwo\r\n'],
    ['a bare CR', 'one\rtwo\r\n'],
    ['a bare CR before a dot (an SMTP smuggling attempt)', 'one\r.\r\ntwo\r\n'],
    ['a LF first', '\nx'],
    ['a CR last', 'x\r'],
  ])('leaves a message with %s to nodemailer (undefined)', (_name, text) => {
    expect(smtpDataText(Buffer.from(text, 'latin1'))).toBeUndefined();
  });
});
