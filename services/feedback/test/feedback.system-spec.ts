import { createHmac } from 'node:crypto';
import { addressHash, bounceAddress, DEVELOPMENT_BOUNCE_SECRET, FeedbackTokens, type SuppressionEntry } from '@mailroom/contracts';
import { freePort, MailroomStack, sendRawMail, ServiceProcess, SmtpSink, TEST_NATS_URL, waitFor } from '@mailroom/testing';
import { arfSample, dsnSample } from '../src/reports/report-samples';

jest.setTimeout(180_000);

/**
 * Bounces and complaints that come back after the provider accepted a newsletter: mailed to the
 * feedback service's SMTP port as a receiving mail server would, with real gateway, splitter,
 * sender and tracker processes around it. The bounce addresses are signed as the senders sign them
 * (BOUNCE_SECRET unset: the development secret on both sides).
 */
describe('feedback service (real processes, real SMTP)', () => {
  const bounceDomain = 'bounces.test';
  const tokens = new FeedbackTokens(DEVELOPMENT_BOUNCE_SECRET);
  const recipients = Array.from({ length: 6 }, (_, i) => `fb${i}@example.org`);
  const mailgunKey = 'mailgun-test-signing-key-0123456789';
  let smtp: SmtpSink;
  let stack: MailroomStack;
  let feedback: ServiceProcess;
  let feedbackSmtpPort: number;
  let newsletterId: string;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    // The senders sign each email's envelope sender and Message-ID for this bounce domain.
    stack = await MailroomStack.start({ smtpUrl: smtp.url, serviceEnv: { sender: { BOUNCE_DOMAIN: bounceDomain } } });
    feedbackSmtpPort = await freePort();
    feedback = await ServiceProcess.start('feedback', {
      env: {
        NATS_URL: TEST_NATS_URL,
        MAILROOM_NAMESPACE: stack.namespace,
        BOUNCE_DOMAIN: bounceDomain,
        FEEDBACK_SMTP_PORT: String(feedbackSmtpPort),
        MAILGUN_WEBHOOK_SIGNING_KEY: mailgunKey,
        SOFT_BOUNCE_LIMIT: '3',
      },
    });
    const sent = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'November news', text: 'Hello', batchSize: 10, recipients: recipients.map((email) => ({ email })) },
    });
    expect(sent.status).toBe(202);
    newsletterId = sent.body.id;
    await stack.waitForNewsletter<{ status: string; sent: number }>(newsletterId, (v) => v.status === 'completed');
  });

  afterAll(async () => {
    await feedback?.stop();
    await stack?.stop();
    await smtp?.close();
  });

  /** What the SMTP sink got for recipient i of the first newsletter: its envelope sender and Message-ID. */
  const received = (i: number) => {
    const message = smtp.messages.find((m) => m.to.includes(recipients[i]!) && m.raw.toString('utf8').includes('Subject: November news'));
    if (!message) throw new Error(`nothing received for ${recipients[i]}`);
    return { envelopeFrom: message.from, messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(message.raw.toString('utf8'))?.[1] };
  };
  /** The token the sender puts in recipient i's bounce address and Message-ID (all six are in batch 0). */
  const tokenOf = (i: number) => tokens.sign({ newsletterId, batchIndex: 0, addressHashPrefix: addressHash(recipients[i]!).slice(0, 8) })!;
  const mail = (to: string, message: string) => sendRawMail({ port: feedbackSmtpPort, from: '', to: [to], message });
  const suppression = async (email: string, scope: 'global' | 'tenant') => {
    const page = await stack.request<{ items: SuppressionEntry[] }>('GET', `/v1/suppressions?scope=${scope}&limit=1000`);
    return page.body.items.find((entry) => entry.email === email);
  };

  it('refuses mail for another domain at RCPT (never a relay), and a bounce address that was altered', async () => {
    const relay = await mail('someone@example.org', dsnSample({ recipient: recipients[0]! }));
    expect(relay.rcpt[0]).toMatchObject({ code: 550, text: expect.stringContaining('5.7.1') });
    expect(relay.data).toBeUndefined();

    const token = tokenOf(0);
    const altered = `${token.slice(0, 10)}${token[10] === 'a' ? 'b' : 'a'}${token.slice(11)}`;
    const tampered = await mail(bounceAddress(altered, bounceDomain), dsnSample({ recipient: recipients[0]! }));
    expect(tampered.rcpt[0]).toMatchObject({ code: 550, text: expect.stringContaining('5.1.1') });
    expect(await suppression(recipients[0]!, 'global')).toBeUndefined();
  });

  it('the sender mailed each recipient from its own signed bounce address at the bounce domain, with the same token in the Message-ID', () => {
    for (const i of recipients.keys()) {
      expect(received(i).envelopeFrom).toBe(bounceAddress(tokenOf(i), bounceDomain));
      expect(received(i).messageId).toMatch(new RegExp(`^<${tokenOf(i)}@`));
    }
  });

  it('a DSN for recipient 3 at its bounce address and an ARF complaint for recipient 5 suppress exactly those two', async () => {
    // Where a receiving server sends them: the DSN to the envelope sender, the complaint (quoting
    // the original's Message-ID) to the feedback-loop address.
    const bounce = await mail(received(3).envelopeFrom, dsnSample({ recipient: recipients[3]! }));
    expect(bounce.data?.code).toBe(250);
    const complaint = await mail(`fbl@${bounceDomain}`, arfSample({ recipient: recipients[5]!, messageId: received(5).messageId! }));
    expect(complaint.data?.code).toBe(250);

    const bounced = await waitFor(() => suppression(recipients[3]!, 'global'), (entry) => entry !== undefined, { timeoutMs: 10_000, description: 'the bounce suppression' });
    expect(bounced).toMatchObject({ email: recipients[3], reason: 'bounced', source: newsletterId, detail: expect.stringContaining('5.1.1') });
    // The complaint is about the tenant's newsletter: its list, not the global one.
    const complained = await waitFor(() => suppression(recipients[5]!, 'tenant'), (entry) => entry !== undefined, { timeoutMs: 10_000, description: 'the complaint suppression' });
    expect(complained).toMatchObject({ email: recipients[5], reason: 'complained', source: newsletterId });

    const metrics = await (await fetch(`${feedback.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/mailroom_feedback_reports_total\{source="smtp",result="bounce_hard"\} 1\b/);
    expect(metrics).toMatch(/mailroom_feedback_reports_total\{source="smtp",result="complaint"\} 1\b/);
  });

  it("a Mailgun webhook for recipient 1 (signed, the original Message-ID echoed) suppresses it; the same event with a bad signature is refused with 401", async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const event = {
      event: 'failed',
      id: 'mailgun-event-1',
      severity: 'permanent',
      recipient: recipients[1],
      'delivery-status': { code: 550, message: '5.1.1 No such user', 'enhanced-code': '5.1.1' },
      message: { headers: { 'message-id': `${tokenOf(1)}@example.org` } },
    };
    const post = (signature: string) =>
      fetch(`${feedback.baseUrl}/webhooks/mailgun`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ signature: { timestamp, token: 'abc123', signature }, 'event-data': event }),
      });
    const forged = await post(createHmac('sha256', 'not-the-signing-key-0123456789').update(`${timestamp}abc123`).digest('hex'));
    expect(forged.status).toBe(401);
    const signed = await post(createHmac('sha256', mailgunKey).update(`${timestamp}abc123`).digest('hex'));
    expect({ status: signed.status, body: await signed.json() }).toEqual({ status: 200, body: { received: 1, recorded: 1 } });
    const entry = await waitFor(() => suppression(recipients[1]!, 'global'), (e) => e !== undefined, { timeoutMs: 10_000, description: 'the webhook suppression' });
    expect(entry).toMatchObject({ reason: 'bounced', source: newsletterId });
  });

  it('the newsletter counts each bouncing and complaining recipient once, however many reports come (GET and the tracker metric)', async () => {
    // A second, different report about recipient 3 (another server's wording): the same recipient.
    const again = await mail(received(3).envelopeFrom, dsnSample({ recipient: recipients[3]!, status: '5.1.10' }));
    expect(again.data?.code).toBe(250);
    // The tracker has handled all four reports (DSN, ARF, webhook, the second DSN) before we look.
    const handled = (metrics: string) =>
      metrics
        .split('\n')
        .filter((line) => line.startsWith('mailroom_messages_handled_total{') && line.includes('event="feedback.received"') && line.includes('settlement="ack"') && line.includes('consumer="tracker"'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    await waitFor(
      async () => handled(await (await fetch(`${stack.tracker.baseUrl}/metrics`)).text()),
      (count) => count >= 4,
      { timeoutMs: 15_000, description: 'the tracker to handle the four reports' },
    );
    const view = await stack.request<{ status: string; bounced: number; complained: number; sent: number }>('GET', `/v1/newsletters/${newsletterId}`);
    expect(view.body).toMatchObject({ status: 'completed', sent: 6, bounced: 2, complained: 1 });
    const metrics = await (await fetch(`${stack.tracker.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/mailroom_recipients_feedback_total\{kind="bounce_hard"\} 2\b/);
    expect(metrics).toMatch(/mailroom_recipients_feedback_total\{kind="complaint"\} 1\b/);
    // Per newsletter, for the rate rules: the leading tracker's gauge.
    const perNewsletter = (text: string, outcome: string) =>
      text.split('\n').find((line) => line.startsWith('mailroom_newsletter_recipients{') && line.includes(`newsletter="${newsletterId}"`) && line.includes(`outcome="${outcome}"`));
    const leader = await waitFor(
      async () => (await fetch(`${stack.tracker.baseUrl}/metrics`)).text(),
      (text) => perNewsletter(text, 'complained') !== undefined,
      { timeoutMs: 20_000, description: 'the per-newsletter gauges of the leading tracker' },
    );
    expect(['sent', 'bounced', 'complained'].map((o) => perNewsletter(leader, o)?.split(' ').pop())).toEqual(['6', '2', '1']);
  });

  it('soft bounces suppress an address at the third within the window, each report counted once', async () => {
    const soft = (status: string) => mail(received(2).envelopeFrom, dsnSample({ recipient: recipients[2]!, status, action: 'delayed' }));
    const handled = async () =>
      (await (await fetch(`${feedback.baseUrl}/metrics`)).text())
        .split('\n')
        .filter((line) => line.startsWith('mailroom_messages_handled_total{') && line.includes('event="feedback.received"') && line.includes('consumer="feedback"'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    const before = await handled();
    expect((await soft('4.2.2')).data?.code).toBe(250);
    expect((await soft('4.2.2')).data?.code).toBe(250); // the same report again: stored once (msgID)
    expect((await soft('4.4.1')).data?.code).toBe(250);
    // Two distinct soft bounces handled: still mailable.
    await waitFor(handled, (n) => n >= before + 2, { timeoutMs: 10_000, description: 'the two soft bounces handled' });
    expect(await suppression(recipients[2]!, 'global')).toBeUndefined();

    expect((await soft('4.7.1')).data?.code).toBe(250);
    const entry = await waitFor(() => suppression(recipients[2]!, 'global'), (e) => e !== undefined, { timeoutMs: 10_000, description: 'the third soft bounce to suppress' });
    expect(entry).toMatchObject({ reason: 'bounced', detail: expect.stringContaining('3 soft bounces in 7 days') });
    // Soft bounces are not hard ones: the newsletter's bounced count is unchanged.
    expect((await stack.request<{ bounced: number }>('GET', `/v1/newsletters/${newsletterId}`)).body.bounced).toBe(2);
  });

  it('the next newsletter to the same six skips the bounced and the complaining addresses', async () => {
    const next = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'December news', text: 'Hello again', batchSize: 10, recipients: recipients.map((email) => ({ email })) },
    });
    expect(next.status).toBe(202);
    const view = await stack.waitForNewsletter<{ status: string; sent: number; suppressed: number }>(next.body.id, (v) => v.status === 'completed');
    expect({ sent: view.sent, suppressed: view.suppressed }).toEqual({ sent: 2, suppressed: 4 });
    const december = smtp.messages.filter((m) => m.raw.toString('utf8').includes('Subject: December news')).flatMap((m) => m.to).sort();
    expect(december).toEqual([recipients[0], recipients[4]]);
  });
});

