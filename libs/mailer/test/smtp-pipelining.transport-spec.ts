import { DEFAULT_SMTP_POOL, SmtpMailer, type DeliveryOutcome, type OutgoingEmail } from '@mailroom/mailer';
import { PostfixSmtpSink, SmtpSink, SmtpWireRecorder, startHookedSmtpServer, type RecordedConnection } from '@mailroom/testing';

// RFC 2920 PIPELINING: where the server offers it, MAIL FROM, RCPT TO and DATA of a message go out
// together and their replies come back together, one round trip instead of three. nodemailer's
// SMTP connection (which our pool drives) does it; these tests pin that on the wire, against the
// test sink (smtp-server) and Postfix's smtp-sink, and pin what each outcome is when a reply in the
// middle of a pipeline is a refusal: the sender's outcomes, retries and suppressions depend on it.

jest.setTimeout(30_000);

const email = (i: number): OutgoingEmail => ({
  from: 'News <news@acme.example>',
  to: { email: `reader${i}@example.org` },
  subject: `Issue ${i}`,
  text: `Hello ${i}\r\n.\r\nA line that is only a dot, above: the text must not end there.`,
});

const mailerFor = (url: string) => new SmtpMailer({ ...DEFAULT_SMTP_POOL, url, maxConnections: 1, connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 5_000 });

/** The commands of one message's transaction (MAIL FROM up to DATA), as the server saw them arrive. */
function transactions(connection: RecordedConnection): Array<Array<{ verb: string; unanswered: number }>> {
  const result: Array<Array<{ verb: string; unanswered: number }>> = [];
  for (const command of connection.commands) {
    if (command.verb === 'MAIL') result.push([]);
    if (['MAIL', 'RCPT', 'DATA'].includes(command.verb)) result[result.length - 1]?.push(command);
  }
  return result;
}

const PIPELINED = [
  { verb: 'MAIL', unanswered: 0 },
  { verb: 'RCPT', unanswered: 1 },
  { verb: 'DATA', unanswered: 2 },
];
const ONE_AT_A_TIME = [
  { verb: 'MAIL', unanswered: 0 },
  { verb: 'RCPT', unanswered: 0 },
  { verb: 'DATA', unanswered: 0 },
];

/** Sends `count` messages one after the other through a recorder in front of `upstreamPort`. */
async function sendThrough(upstreamPort: number, count: number) {
  const recorder = await SmtpWireRecorder.start(upstreamPort);
  const mailer = mailerFor(recorder.url);
  const outcomes: DeliveryOutcome[] = [];
  try {
    for (let i = 1; i <= count; i++) outcomes.push(await mailer.send(email(i)));
  } finally {
    mailer.close();
    await recorder.close();
  }
  return { outcomes, connections: recorder.connections };
}

describe('SMTP PIPELINING on the wire', () => {
  it('sends MAIL FROM, RCPT TO and DATA together when the test sink offers PIPELINING, every message of a reused connection', async () => {
    const server = await startHookedSmtpServer();
    try {
      const { outcomes, connections } = await sendThrough(server.port, 3);
      expect(outcomes.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'accepted']);
      expect(connections).toHaveLength(1);
      expect(transactions(connections[0]!)).toEqual([PIPELINED, PIPELINED, PIPELINED]);
      expect(connections[0]!.bodies).toBe(3);
      // Dot-stuffing survived the pipelined path: the line holding only a dot arrived, the text after it too.
      expect(server.received[0]).toMatch(/Hello 1\r\n\.\r\nA line that is only a dot/);
    } finally {
      await server.close();
    }
  });

  it('waits for each reply when the server does not offer PIPELINING', async () => {
    const server = await startHookedSmtpServer({ hidePIPELINING: true });
    try {
      const { outcomes, connections } = await sendThrough(server.port, 2);
      expect(outcomes.map((o) => o.kind)).toEqual(['accepted', 'accepted']);
      expect(transactions(connections[0]!)).toEqual([ONE_AT_A_TIME, ONE_AT_A_TIME]);
    } finally {
      await server.close();
    }
  });

  it("pipelines to Postfix's smtp-sink, and waits for each reply when it is started without PIPELINING (-p)", async () => {
    const offering = await PostfixSmtpSink.start();
    const notOffering = await PostfixSmtpSink.start(['-p']);
    try {
      const pipelined = await sendThrough(offering.port, 2);
      expect(pipelined.outcomes).toMatchObject([{ kind: 'accepted', code: 250 }, { kind: 'accepted', code: 250 }]);
      expect(transactions(pipelined.connections[0]!)).toEqual([PIPELINED, PIPELINED]);
      const stepwise = await sendThrough(notOffering.port, 2);
      expect(stepwise.outcomes).toMatchObject([{ kind: 'accepted' }, { kind: 'accepted' }]);
      expect(transactions(stepwise.connections[0]!)).toEqual([ONE_AT_A_TIME, ONE_AT_A_TIME]);
    } finally {
      await offering.stop();
      await notOffering.stop();
    }
  });
});

describe('the text of a message on the wire', () => {
  it("arrives byte for byte with its dots stuffed; a bare LF still becomes CRLF (nodemailer's escaping)", async () => {
    const sink = await SmtpSink.start();
    const mailer = mailerFor(sink.url);
    const raw = (text: string) => ({ envelope: { from: 'news@acme.example', to: ['reader@example.org'] }, raw: Buffer.from(text) });
    try {
      for (const text of ['Subject: one\r\n\r\n.starts with a dot\r\n.\r\nend\r\n', 'Subject: two\n\nbare\nline ends\n']) {
        const connected = await mailer.connect();
        if (!connected.ok) throw new Error(`connect failed: ${connected.outcome.kind}`);
        expect(await connected.session.send(raw(text))).toMatchObject({ kind: 'accepted' });
      }
      expect(sink.messages.map((m) => m.raw.toString())).toEqual(['Subject: one\r\n\r\n.starts with a dot\r\n.\r\nend\r\n', 'Subject: two\r\n\r\nbare\r\nline ends\r\n']);
    } finally {
      mailer.close();
      await sink.close();
    }
  });
});

describe('SMTP PIPELINING: a refusal in the middle of the pipeline', () => {
  const refuse = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

  it('a recipient refused with 550 is a hard bounce at RCPT TO; no text goes out and the connection carries the next message', async () => {
    const server = await startHookedSmtpServer({
      onRcptTo: (address, _session, callback) => (address.address.startsWith('reader1@') ? callback(refuse(550, 'No such user')) : callback()),
    });
    try {
      const { outcomes, connections } = await sendThrough(server.port, 2);
      expect(outcomes[0]).toMatchObject({ kind: 'permanent', code: 550, hardBounce: true, command: 'RCPT TO' });
      expect(outcomes[1]).toMatchObject({ kind: 'accepted' });
      expect(connections).toHaveLength(1);
      expect(transactions(connections[0]!)).toEqual([PIPELINED, PIPELINED]);
      // The refused message's DATA was answered 503 (no valid recipients): only the second one's text went out.
      expect(connections[0]!.bodies).toBe(1);
      expect(server.received).toHaveLength(1);
      expect(server.received[0]).toContain('Hello 2');
    } finally {
      await server.close();
    }
  });

  it('a recipient deferred with 450 (greylisting) is transient at RCPT TO, not a bounce', async () => {
    const server = await startHookedSmtpServer({ onRcptTo: (_address, _session, callback) => callback(refuse(450, 'Greylisted, try later')) });
    try {
      const { outcomes, connections } = await sendThrough(server.port, 1);
      expect(outcomes[0]).toMatchObject({ kind: 'transient', code: 450, command: 'RCPT TO' });
      expect(transactions(connections[0]!)).toEqual([PIPELINED]);
      expect(server.received).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('a sender refused at MAIL FROM fails the message there (the reply to RCPT TO sent along is not mistaken for it)', async () => {
    let mails = 0;
    const server = await startHookedSmtpServer({
      onMailFrom: (_address, _session, callback) => (++mails === 1 ? callback(refuse(451, 'Sender domain lookup failed')) : callback()),
    });
    try {
      const { outcomes, connections } = await sendThrough(server.port, 2);
      expect(outcomes[0]).toMatchObject({ kind: 'transient', code: 451, command: 'MAIL FROM' });
      expect(outcomes[1]).toMatchObject({ kind: 'accepted' });
      expect(connections).toHaveLength(1);
      expect(transactions(connections[0]!)).toEqual([PIPELINED, PIPELINED]);
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('a message refused after its text (552 to the final dot) is permanent at DATA, and the connection carries on', async () => {
    const server = await startHookedSmtpServer({
      onData: (_stream, session, callback) => (session.transaction === 1 ? callback(refuse(552, 'Message too large for this mailbox')) : callback()),
    });
    try {
      const { outcomes, connections } = await sendThrough(server.port, 2);
      expect(outcomes[0]).toMatchObject({ kind: 'permanent', code: 552, hardBounce: false, command: 'DATA' });
      expect(outcomes[1]).toMatchObject({ kind: 'accepted' });
      expect(connections).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  // smtp-sink stops offering PIPELINING when told to refuse a command (-f, -r), so this refusal comes
  // one step at a time; the 421 below comes mid-pipeline.
  it('smtp-sink refusing every recipient (-f RCPT): a hard bounce at RCPT TO, no text, one connection for both', async () => {
    const sink = await PostfixSmtpSink.start(['-f', 'RCPT']);
    try {
      const { outcomes, connections } = await sendThrough(sink.port, 2);
      for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'permanent', hardBounce: true, command: 'RCPT TO' });
      expect(outcomes[0]!.kind === 'permanent' && outcomes[0]!.code).toBeGreaterThanOrEqual(500);
      expect(connections).toHaveLength(1);
      expect(transactions(connections[0]!)).toEqual([ONE_AT_A_TIME.slice(0, 2), ONE_AT_A_TIME.slice(0, 2)]);
      expect(connections[0]!.bodies).toBe(0);
    } finally {
      await sink.stop();
    }
  });

  it('smtp-sink hanging up with 421 after RCPT TO mid-pipeline: transient, nothing sent, and the next message goes over a new connection', async () => {
    const sink = await PostfixSmtpSink.start(['-Q', 'RCPT']);
    try {
      const { outcomes, connections } = await sendThrough(sink.port, 2);
      // Every connection is hung up on at its first RCPT TO: both messages fail, each on its own connection.
      for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'transient' });
      expect(outcomes[0]).toMatchObject({ code: 421 });
      expect(connections).toHaveLength(2);
      for (const connection of connections) {
        expect(transactions(connection)).toEqual([PIPELINED]);
        expect(connection.bodies).toBe(0);
      }
    } finally {
      await sink.stop();
    }
  });
});
