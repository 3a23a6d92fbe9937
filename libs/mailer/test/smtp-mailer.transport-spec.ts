import { DEFAULT_SMTP_POOL, SmtpMailer, type OutgoingEmail } from '@mailroom/mailer';
import { freePort, SmtpSink, startHookedSmtpServer, waitFor, type HookedSmtpServer } from '@mailroom/testing';

jest.setTimeout(30_000);

const email = (i: number): OutgoingEmail => ({
  from: 'News <news@acme.example>',
  to: { email: `reader${i}@example.org` },
  subject: `Issue ${i}`,
  text: 'Hello',
});

const mailerFor = (url: string, maxConnections = 2) => new SmtpMailer({ ...DEFAULT_SMTP_POOL, url, maxConnections, connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000 });

describe('SmtpMailer against a real SMTP server', () => {
  let sink: SmtpSink;
  const mailers: SmtpMailer[] = [];
  const track = (mailer: SmtpMailer) => (mailers.push(mailer), mailer);

  beforeAll(async () => {
    sink = await SmtpSink.start({ keepMessages: false });
  });

  afterEach(() => {
    for (const mailer of mailers.splice(0)) mailer.close();
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('hands out a connection only once the server has greeted it, so the transaction starts at once', async () => {
    const mailer = track(mailerFor(sink.url));
    const message = await mailer.compose(email(1));
    const started = performance.now();
    const connected = await mailer.connect();
    const connectedAt = performance.now();
    if (!connected.ok) throw new Error(`connect failed: ${connected.outcome.kind}`);
    const outcome = await connected.session.send(message);
    const sentAt = performance.now();
    // smtp-server waits ~100 ms before its greeting: that wait is in connect(), not in send().
    expect(connectedAt - started).toBeGreaterThanOrEqual(80);
    expect(sentAt - connectedAt).toBeLessThan(connectedAt - started);
    expect(outcome).toMatchObject({ kind: 'accepted', code: 250 });
  });

  it('reuses its open connections', async () => {
    const mailer = track(mailerFor(sink.url, 1));
    const before = sink.connectionsOpened;
    for (let i = 0; i <= 20; i++) expect(await mailer.send(email(i))).toMatchObject({ kind: 'accepted' });
    // One connection for all 21 messages (the pool holds one).
    expect(sink.connectionsOpened - before).toBe(1);
  });

  it('reports a refused connection as a transient CONN outcome, without throwing', async () => {
    const mailer = track(mailerFor(`smtp://127.0.0.1:${await freePort()}`));
    const connected = await mailer.connect();
    expect(connected).toMatchObject({ ok: false, outcome: { kind: 'transient', command: 'CONN' } });
    expect(await mailer.send(email(1))).toMatchObject({ kind: 'transient', command: 'CONN' });
  });

  it('lets a wait for a free connection be aborted, and keeps the connection for the next caller', async () => {
    const mailer = track(mailerFor(sink.url, 1));
    const first = await mailer.connect();
    if (!first.ok) throw new Error('connect failed');
    const stop = new AbortController();
    const waiting = mailer.connect(stop.signal);
    stop.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    first.session.release();
    const next = await mailer.connect();
    expect(next.ok).toBe(true);
    if (next.ok) expect(await next.session.send(await mailer.compose(email(2)))).toMatchObject({ kind: 'accepted' });
  });

  it('serves many more callers than connections, each connection handed to one waiter at a time, none forgotten', async () => {
    const mailer = track(mailerFor(sink.url, 2));
    const before = sink.acceptedTotal;
    const message = await mailer.compose(email(0));
    const stop = new AbortController();
    // Half the callers take an idle connection when one is at hand (as the sender does), the rest
    // queue; some queued ones give up, and their turn must pass on to the next.
    const sendOne = async (i: number) => {
      const quick = i % 2 === 0 ? mailer.tryConnect() : undefined;
      const connected = quick ? { ok: true as const, session: quick } : await mailer.connect(i % 7 === 3 ? stop.signal : undefined);
      if (!connected.ok) throw new Error('connect failed');
      return connected.session.send(message);
    };
    const sends = Array.from({ length: 60 }, (_, i) => sendOne(i));
    stop.abort(new Error('gave up'));
    const outcomes = await Promise.allSettled(sends);
    const sent = outcomes.filter((o) => o.status === 'fulfilled' && o.value.kind === 'accepted').length;
    const gaveUp = outcomes.filter((o) => o.status === 'rejected' && String(o.reason).includes('gave up')).length;
    expect(sent + gaveUp).toBe(60);
    expect(gaveUp).toBeGreaterThan(0);
    await sink.waitForMessages(before + sent, 5_000);
    expect(sink.acceptedTotal - before).toBe(sent);
    // With every caller served, both connections are idle: one is at hand now.
    const idle = mailer.tryConnect();
    expect(idle).toBeDefined();
    idle?.release();
  });

  it('keeps a connection after a refused recipient (RSET) and maps the refusal', async () => {
    const picky = await SmtpSink.start({ keepMessages: false, faultAt: (address) => (address.startsWith('reader1@') ? { kind: 'reply', code: 550, message: 'No such user' } : undefined) });
    const mailer = track(mailerFor(picky.url, 1));
    try {
      expect(await mailer.send(email(1))).toMatchObject({ kind: 'permanent', code: 550, hardBounce: true, command: 'RCPT TO' });
      expect(await mailer.send(email(2))).toMatchObject({ kind: 'accepted' });
      // The refusal cost no connection: the second message went over the first one.
      expect(picky.connectionsOpened).toBe(1);
    } finally {
      mailer.close();
      await picky.close();
    }
  });
});

describe('SmtpMailer when the server drops idle connections', () => {
  it('does not reuse a connection the server closed while it sat idle', async () => {
    // Closes a connection after 300 ms without a command (as providers do, after longer).
    const server = await startHookedSmtpServer({ socketTimeout: 300 });
    const mailer = mailerFor(server.url, 1);
    try {
      expect(await mailer.send(email(1))).toMatchObject({ kind: 'accepted' });
      await waitFor(server.openConnections, (n) => n === 0, { timeoutMs: 5_000, description: 'the server to drop the idle connection' });
      expect(await mailer.send(email(2))).toMatchObject({ kind: 'accepted' });
      expect(server.received).toHaveLength(2);
    } finally {
      mailer.close();
      await server.close();
    }
  });
});

describe('SmtpMailer when the idle-timeout reply races our next command', () => {
  it('takes a 421 answer to MAIL FROM on a reused connection as a closed connection and sends on a new one', async () => {
    const transactions = new Map<string, number>();
    // The second MAIL FROM of every connection gets the parting "421 Timeout" a server sends as it
    // closes an idle connection: what a client sees when that reply crosses its next command.
    const server = await startHookedSmtpServer({
      onMailFrom: (_address, session, callback) => {
        const count = (transactions.get(session.id) ?? 0) + 1;
        transactions.set(session.id, count);
        if (count === 1) return callback();
        return callback(Object.assign(new Error('Timeout - closing connection'), { responseCode: 421 }));
      },
    });
    const mailer = mailerFor(server.url, 1);
    try {
      expect(await mailer.send(email(1))).toMatchObject({ kind: 'accepted' });
      expect(await mailer.send(email(2))).toMatchObject({ kind: 'accepted' });
      expect(server.received).toHaveLength(2);
      expect(transactions.size).toBe(2);
    } finally {
      mailer.close();
      await server.close();
    }
  });
});

describe('SmtpMailer waiting for the reply to the end of DATA', () => {
  // Small timeouts: the socket's idle limit is 300 ms, far below the server's answer time.
  const SOCKET_TIMEOUT_MS = 300;
  const slowMailer = (url: string, dataTimeoutMs: number) =>
    new SmtpMailer({ ...DEFAULT_SMTP_POOL, url, maxConnections: 1, connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: SOCKET_TIMEOUT_MS, dataTimeoutMs });

  it('waits past the socket timeout, up to the DATA timeout: one message, accepted, not retried', async () => {
    const slow = await SmtpSink.start({ keepMessages: false, latencyMs: 4 * SOCKET_TIMEOUT_MS });
    const mailer = slowMailer(slow.url, 10_000);
    try {
      expect(await mailer.send(email(1))).toMatchObject({ kind: 'accepted', code: 250 });
      expect(slow.deliveriesTo.get('reader1@example.org')).toBe(1);
      expect(slow.attemptsFor('reader1@example.org')).toBe(1);
      // Back to the socket timeout for everything else: the connection is still good for the next one.
      expect(await mailer.send(email(2))).toMatchObject({ kind: 'accepted' });
      expect(slow.acceptedTotal).toBe(2);
      expect(slow.duplicates).toBe(0);
    } finally {
      mailer.close();
      await slow.close();
    }
  });

  it('calls no reply within the DATA timeout ambiguous (perhaps delivered) and never sends it again', async () => {
    // The server does take the message, after the client stopped waiting: why it must not be re-sent.
    const slow = await SmtpSink.start({ keepMessages: false, latencyMs: 3_000 });
    const mailer = slowMailer(slow.url, 1_000);
    try {
      const outcome = await mailer.send(email(1));
      expect(outcome).toMatchObject({ kind: 'ambiguous', command: 'DATA' });
      expect(outcome.kind === 'ambiguous' && outcome.reason).toMatch(/^no reply to the end of DATA in time \(ETIMEDOUT.*may have been delivered, so it was not sent again/);
      await slow.waitForMessages(1, 10_000);
      expect(slow.deliveriesTo.get('reader1@example.org')).toBe(1);
      expect(slow.attemptsFor('reader1@example.org')).toBe(1);
    } finally {
      mailer.close();
      await slow.close();
    }
  });

  it('calls a connection dropped after the final dot ambiguous, and never sends it again', async () => {
    // The whole message and its dot arrive; the server goes away without a word.
    const server: HookedSmtpServer = await startHookedSmtpServer({ onData: (_stream, session) => server.dropConnection(session.id) });
    const mailer = slowMailer(server.url, 10_000);
    try {
      const outcome = await mailer.send(email(1));
      expect(outcome).toMatchObject({ kind: 'ambiguous', command: 'DATA' });
      expect(outcome.kind === 'ambiguous' && outcome.reason).toMatch(/^the connection was lost before the reply to the end of DATA .*may have been delivered/);
      expect(server.received).toHaveLength(1);
    } finally {
      mailer.close();
      await server.close();
    }
  });
});
