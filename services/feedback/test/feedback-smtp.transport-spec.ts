import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { freePort } from '@mailroom/testing';
import { loadFeedbackConfig } from '../src/config/feedback.config';
import type { FeedbackRecorder } from '../src/feedback/feedback-recorder.service';
import { FeedbackSmtpServer, readWithin } from '../src/inbound/feedback-smtp.server';
import { dsnSample } from '../src/reports/report-samples';

jest.setTimeout(60_000);

/**
 * The limits of the inbound SMTP server (smtp-server, listening on a real port) against an SMTP
 * client on a raw socket (nodemailer stays inside libs/mailer): every reply code is seen. Behind
 * the server a recorder that only keeps what reaches it: a message refused by a limit must never
 * get there.
 */
describe('feedback SMTP server limits (real smtp-server, a raw-socket SMTP client)', () => {
  const report = dsnSample({ recipient: 'ann@example.org' });
  const started: FeedbackSmtpServer[] = [];

  class KeepingRecorder {
    readonly messages: Buffer[] = [];
    recordMessage(raw: Buffer): Promise<{ ok: false; reason: 'unrecognised' }> {
      this.messages.push(raw);
      return Promise.resolve({ ok: false, reason: 'unrecognised' });
    }
  }

  async function startServer(env: Record<string, string>): Promise<{ port: number; recorder: KeepingRecorder }> {
    const port = await freePort();
    const config = loadFeedbackConfig({ FEEDBACK_SMTP_PORT: String(port), ...env });
    const recorder = new KeepingRecorder();
    const server = new FeedbackSmtpServer(config, recorder as unknown as FeedbackRecorder);
    await server.onApplicationBootstrap();
    started.push(server);
    return { port, recorder };
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.onApplicationShutdown()));
  });

  /** One session (greeting, EHLO); `send` makes one transaction and gives the reply that decided it. */
  async function client(port: number): Promise<{ send: (message: string | Iterable<string>) => Promise<number>; close: () => void }> {
    const session = await RawSession.open(port);
    expect(session.greeting.code).toBe(220);
    expect((await session.command('EHLO mx.example.net')).code).toBe(250);
    return {
      send: async (message) => {
        const from = await session.command('MAIL FROM:<postmaster@mx.example.net>');
        if (from.code !== 250) return from.code;
        const rcpt = await session.command('RCPT TO:<fbl@bounces.localhost>');
        if (rcpt.code !== 250) return rcpt.code;
        return (await session.data(typeof message === 'string' ? [message] : message)).code;
      },
      close: () => session.close(),
    };
  }

  it('answers 552 to a message over FEEDBACK_MAX_MESSAGE_BYTES, records nothing of it, and serves the next message on the same connection', async () => {
    const { port, recorder } = await startServer({ FEEDBACK_MAX_MESSAGE_BYTES: '4096' });
    const smtp = await client(port);
    try {
      // 8 MiB in 64 KiB lines, streamed (no SIZE declared: the client cannot know it beforehand).
      const line = `${'x'.repeat(64 * 1024 - 2)}\r\n`;
      const oversized = (function* () {
        yield 'Subject: big\r\n\r\n';
        for (let i = 0; i < 128; i++) yield line;
      })();
      expect(await smtp.send(oversized)).toBe(552);
      expect(recorder.messages).toEqual([]);
      // The rest of the big message was drained: the session goes on.
      expect(await smtp.send(report)).toBe(250);
      expect(recorder.messages).toHaveLength(1);
      expect(recorder.messages[0]!.length).toBeLessThanOrEqual(4096);
    } finally {
      smtp.close();
    }
  });

  it('refuses at MAIL FROM a message whose declared SIZE is over the limit (advertised in EHLO)', async () => {
    const { port, recorder } = await startServer({ FEEDBACK_MAX_MESSAGE_BYTES: '4096' });
    const session = await RawSession.open(port);
    try {
      expect(session.greeting.code).toBe(220);
      expect((await session.command('EHLO mx.example.net')).text).toContain('SIZE 4096');
      expect((await session.command('MAIL FROM:<> SIZE=100000')).code).toBe(552);
      expect(recorder.messages).toEqual([]);
    } finally {
      session.close();
    }
  });

  it('answers 421 at MAIL FROM to a client over FEEDBACK_MESSAGES_PER_MINUTE_PER_IP, recording only what was admitted', async () => {
    // 10 a minute: a burst of 1, then one every 6 s.
    const { port, recorder } = await startServer({ FEEDBACK_MESSAGES_PER_MINUTE_PER_IP: '10' });
    const smtp = await client(port);
    try {
      expect(await smtp.send(report)).toBe(250);
      expect(await smtp.send(report)).toBe(421);
      expect(recorder.messages).toHaveLength(1);
    } finally {
      smtp.close();
    }
    // A new connection from the same address is no way around it.
    const session = await RawSession.open(port);
    try {
      await session.command('EHLO mx.example.net');
      expect(await session.command('MAIL FROM:<>')).toMatchObject({ code: 421, text: expect.stringContaining('4.7.0') });
      expect(recorder.messages).toHaveLength(1);
    } finally {
      session.close();
    }
  });

  it('answers 421 to a connection over FEEDBACK_MAX_CONNECTIONS, and serves again once one closes', async () => {
    const { port, recorder } = await startServer({ FEEDBACK_MAX_CONNECTIONS: '2' });
    const first = await RawSession.open(port);
    const second = await RawSession.open(port);
    const third = await RawSession.open(port);
    try {
      expect([first.greeting.code, second.greeting.code]).toEqual([220, 220]);
      expect(third.greeting).toMatchObject({ code: 421, text: expect.stringContaining('Too many') });
      expect(recorder.messages).toEqual([]);
      first.close();
      await third.closed;
      const fourth = await waitForGreeting(port, 220);
      fourth.close();
    } finally {
      for (const session of [first, second, third]) session.close();
    }
  });
});

describe('readWithin', () => {
  it('gives the message up to the limit, and past it null, keeping nothing and draining the stream', async () => {
    expect((await readWithin(Readable.from([Buffer.from('abc'), Buffer.from('def')]), 6))?.toString()).toBe('abcdef');
    let produced = 0;
    const big = Readable.from((function* () {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield Buffer.alloc(1024);
      }
    })());
    expect(await readWithin(big, 5 * 1024)).toBeNull();
    expect(produced).toBe(1000);
    expect(big.readableEnded).toBe(true);
  });
});

/** A connection whose greeting is `code`, retried for a few seconds (the server frees a slot once it saw the close). */
async function waitForGreeting(port: number, code: number): Promise<RawSession> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const session = await RawSession.open(port);
    if (session.greeting.code === code) return session;
    session.close();
    if (Date.now() > deadline) throw new Error(`no ${code} greeting within 5 s (last: ${session.greeting.code} ${session.greeting.text})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A plain SMTP conversation over a socket, one reply per command (multi-line replies joined). */
class RawSession {
  private buffer = '';
  private lines: string[] = [];
  private readonly ready: Array<{ code: number; text: string }> = [];
  private readonly waiting: Array<(reply: { code: number; text: string }) => void> = [];
  greeting!: { code: number; text: string };
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(port: number): Promise<RawSession> {
    const socket = new Socket();
    const session = new RawSession(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, '127.0.0.1', () => resolve());
    });
    session.greeting = await session.next();
    return session;
  }

  command(line: string): Promise<{ code: number; text: string }> {
    this.socket.write(`${line}\r\n`);
    return this.next();
  }

  /** DATA, then the message (dot-stuffed, written as the socket drains), then the final dot: its reply. */
  async data(parts: Iterable<string>): Promise<{ code: number; text: string }> {
    const go = await this.command('DATA');
    if (go.code !== 354) return go;
    let last = '\n';
    for (const part of parts) {
      const text = part.replace(/\r?\n/g, '\r\n').replace(/\n\./g, '\n..');
      const stuffed = last.endsWith('\n') && text.startsWith('.') ? `.${text}` : text;
      if (stuffed === '') continue;
      last = stuffed;
      if (!this.socket.write(stuffed)) await new Promise((resolve) => this.socket.once('drain', resolve));
    }
    this.socket.write(`${last.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }

  private next(): Promise<{ code: number; text: string }> {
    const reply = this.ready.shift();
    if (reply) return Promise.resolve(reply);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('SMTP: no reply within 10 s')), 10_000);
      this.waiting.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer += chunk.toString('utf8');
    let end: number;
    while ((end = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.lines.push(line.slice(4));
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), text: this.lines.join('\n') };
      this.lines = [];
      const waiter = this.waiting.shift();
      if (waiter) waiter(reply);
      else this.ready.push(reply);
    }
  }
}
