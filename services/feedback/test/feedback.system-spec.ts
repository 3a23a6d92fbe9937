import { createHmac, createSign, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressHash, bounceAddress, DEVELOPMENT_BOUNCE_SECRET, eventFilter, Events, FeedbackTokens, topology, type SuppressionEntry } from '@mailroom/contracts';
import { freePort, MailroomStack, sendRawMail, ServiceProcess, SmtpSink, TEST_NATS_URL, waitFor, withJetStream } from '@mailroom/testing';
import { arfSample, AUTO_REPLY_SAMPLE, dsnSample } from '../src/reports/report-samples';
import { TEST_TLS_CERTIFICATE, TEST_TLS_KEY } from './support/test-certificate';

jest.setTimeout(180_000);

/**
 * Bounces and complaints that come back after the provider accepted a newsletter: mailed to the
 * feedback service's SMTP port as a receiving mail server would, with real gateway, splitter,
 * sender and tracker processes around it. The bounce addresses are signed as the senders sign them
 * (BOUNCE_SECRET unset: the development secret on both sides). The provider webhooks are posted
 * over HTTP to the running service, signed with keys made here: SendGrid's ECDSA key pair (the
 * public key in SENDGRID_WEBHOOK_PUBLIC_KEY), Postmark's basic auth, and for Amazon SES an SNS
 * signing certificate served over HTTPS by this test (SNS_TRUSTED_HOSTS names its host, and the
 * process trusts its TLS certificate through NODE_EXTRA_CA_CERTS: no trust is loosened in code).
 */
describe('feedback service (real processes, real SMTP)', () => {
  const bounceDomain = 'bounces.test';
  const tokens = new FeedbackTokens(DEVELOPMENT_BOUNCE_SECRET);
  // 0: a tampered bounce and tampered webhooks (never suppressed) · 1: Mailgun · 2: soft bounces ·
  // 3: a DSN · 4: an auto-reply (never suppressed) · 5: an ARF · 6: a redacted ARF · 7: a DSN naming
  // nobody · 8: SendGrid · 9: Postmark · 10: SES · 11: nothing.
  const recipients = Array.from({ length: 12 }, (_, i) => `fb${i}@example.org`);
  const mailgunKey = 'mailgun-test-signing-key-0123456789';
  const sendgrid = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const postmarkCredentials = 'postmark-hook:a-test-password-0123';
  const sesTopic = 'arn:aws:sns:eu-west-1:123456789012:ses-feedback';
  let certificateServer: Server;
  let certificateUrl: string;
  let certificateDir: string;
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
    // Where SNS's signing certificate is fetched from: https, this test's certificate.
    certificateServer = createServer({ cert: TEST_TLS_CERTIFICATE, key: TEST_TLS_KEY }, (req, res) => {
      res.writeHead(req.url === '/SimpleNotificationService-test.pem' ? 200 : 404, { 'content-type': 'application/x-pem-file' });
      res.end(req.url === '/SimpleNotificationService-test.pem' ? TEST_TLS_CERTIFICATE : '');
    });
    await new Promise<void>((resolve) => certificateServer.listen(0, '127.0.0.1', resolve));
    const certificateHost = `127.0.0.1:${(certificateServer.address() as AddressInfo).port}`;
    certificateUrl = `https://${certificateHost}/SimpleNotificationService-test.pem`;
    certificateDir = mkdtempSync(join(tmpdir(), 'feedback-sns-'));
    writeFileSync(join(certificateDir, 'ca.pem'), TEST_TLS_CERTIFICATE);
    feedback = await ServiceProcess.start('feedback', {
      env: {
        NATS_URL: TEST_NATS_URL,
        MAILROOM_NAMESPACE: stack.namespace,
        BOUNCE_DOMAIN: bounceDomain,
        FEEDBACK_SMTP_PORT: String(feedbackSmtpPort),
        MAILGUN_WEBHOOK_SIGNING_KEY: mailgunKey,
        SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        POSTMARK_WEBHOOK_CREDENTIALS: postmarkCredentials,
        SES_SNS_TOPIC_ARNS: sesTopic,
        SNS_TRUSTED_HOSTS: certificateHost,
        NODE_EXTRA_CA_CERTS: join(certificateDir, 'ca.pem'),
        SOFT_BOUNCE_LIMIT: '3',
      },
    });
    const sent = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'November news', text: 'Hello', batchSize: 20, recipients: recipients.map((email) => ({ email })) },
    });
    expect(sent.status).toBe(202);
    newsletterId = sent.body.id;
    await stack.waitForNewsletter<{ status: string; sent: number }>(newsletterId, (v) => v.status === 'completed');
  });

  afterAll(async () => {
    await feedback?.stop();
    await stack?.stop();
    await smtp?.close();
    await new Promise((resolve) => (certificateServer ? certificateServer.close(resolve) : resolve(undefined)));
    if (certificateDir) rmSync(certificateDir, { recursive: true, force: true });
  });

  /** What the SMTP sink got for recipient i of the first newsletter: its envelope sender and Message-ID. */
  const received = (i: number) => {
    const message = smtp.messages.find((m) => m.to.includes(recipients[i]!) && m.raw.toString('utf8').includes('Subject: November news'));
    if (!message) throw new Error(`nothing received for ${recipients[i]}`);
    return { envelopeFrom: message.from, messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(message.raw.toString('utf8'))?.[1] };
  };
  /** The token the sender puts in recipient i's bounce address and Message-ID (all twelve are in batch 0). */
  const tokenOf = (i: number) => tokens.sign({ newsletterId, batchIndex: 0, addressHashPrefix: addressHash(recipients[i]!).slice(0, 8) })!;
  const mail = (to: string, message: string) => sendRawMail({ port: feedbackSmtpPort, from: '', to: [to], message });
  const suppression = async (email: string, scope: 'global' | 'tenant') => {
    const page = await stack.request<{ items: SuppressionEntry[] }>('GET', `/v1/suppressions?scope=${scope}&limit=1000`);
    return page.body.items.find((entry) => entry.email === email);
  };
  /** `feedback.received` events stored in JetStream: what a deduplicated (msgID) repeat does not add to. */
  const storedFeedbackEvents = () =>
    withJetStream(async (_js, jsm) => {
      const names = topology(stack.namespace);
      const subject = eventFilter(names, Events.FeedbackReceived);
      const info = await jsm.streams.info(names.streams.events, { subjects_filter: subject });
      return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    });
  const feedbackMetrics = async () => (await fetch(`${feedback.baseUrl}/metrics`)).text();
  const postWebhook = (provider: string, body: string, headers: Record<string, string>) =>
    fetch(`${feedback.baseUrl}/webhooks/${provider}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  /**
   * A webhook provider's three cases: a tampered request (another event id) is refused with 401
   * and stores nothing, the valid one is stored, and the same valid one again is answered alike but
   * stored once (its msgID). The suppression it causes is checked by the caller.
   */
  const tamperedValidAndRepeated = async (send: { tampered: () => Promise<Response>; valid: () => Promise<Response> }) => {
    const before = await storedFeedbackEvents();
    const tampered = await send.tampered();
    expect(tampered.status).toBe(401);
    expect(await storedFeedbackEvents()).toBe(before);
    const first = await send.valid();
    expect({ status: first.status, body: await first.json() }).toEqual({ status: 200, body: { received: 1, recorded: 1 } });
    expect(await storedFeedbackEvents()).toBe(before + 1);
    const again = await send.valid();
    expect(again.status).toBe(200);
    expect(await storedFeedbackEvents()).toBe(before + 1);
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

  it('a redacted ARF complaint (no recipient named) for recipient 6 and a DSN naming nobody for recipient 7 are traced through the delivery ledger and suppress them', async () => {
    // The feedback loop left out Original-Rcpt-To and the original's To line: only its Message-ID is left.
    const redacted = await mail(`fbl@${bounceDomain}`, arfSample({ recipient: recipients[6]!, messageId: received(6).messageId!, redacted: true }));
    expect(redacted.data?.code).toBe(250);
    // The DSN gives a status but no Final-Recipient, and the enclosed headers no To: its bounce address says who.
    const unnamed = await mail(received(7).envelopeFrom, dsnSample({ recipient: recipients[7]!, unnamed: true }));
    expect(unnamed.data?.code).toBe(250);

    const complained = await waitFor(() => suppression(recipients[6]!, 'tenant'), (entry) => entry !== undefined, { timeoutMs: 10_000, description: 'the redacted complaint suppression' });
    expect(complained).toMatchObject({ email: recipients[6], reason: 'complained', source: newsletterId });
    const bounced = await waitFor(() => suppression(recipients[7]!, 'global'), (entry) => entry !== undefined, { timeoutMs: 10_000, description: 'the unnamed bounce suppression' });
    expect(bounced).toMatchObject({ email: recipients[7], reason: 'bounced', source: newsletterId, detail: expect.stringContaining('5.1.1') });
    const metrics = await feedbackMetrics();
    expect(metrics).toMatch(/mailroom_feedback_reports_total\{source="smtp",result="complaint"\} 2\b/);
    expect(metrics).toMatch(/mailroom_feedback_reports_total\{source="smtp",result="bounce_hard"\} 2\b/);
    expect(metrics).not.toMatch(/result="no_matching_recipient"/);
  });

  it('an auto-reply to recipient 4\'s bounce address is counted as one and changes nothing', async () => {
    const before = await storedFeedbackEvents();
    const reply = await mail(received(4).envelopeFrom, AUTO_REPLY_SAMPLE);
    expect(reply.data?.code).toBe(250);
    // Answered 250 only after it was handled: counted by then, and nothing was stored.
    expect(await feedbackMetrics()).toMatch(/mailroom_feedback_reports_total\{source="smtp",result="auto_reply"\} 1\b/);
    expect(await storedFeedbackEvents()).toBe(before);
    expect(await suppression(recipients[4]!, 'global')).toBeUndefined();
    expect(await suppression(recipients[4]!, 'tenant')).toBeUndefined();
  });

  it('SendGrid (ECDSA-signed Event Webhook): a bounce for recipient 8 suppresses it once however often it comes; a tampered body is refused', async () => {
    // The "bounce" event of SendGrid's Event Webhook reference (twilio.com/docs/sendgrid/for-developers/tracking-events/event),
    // its smtp-id being the Message-ID the sender gave the email.
    const event = (i: number, id: string) => ({
      email: recipients[i],
      timestamp: Math.floor(Date.now() / 1000),
      'smtp-id': received(i).messageId,
      event: 'bounce',
      category: 'newsletter',
      sg_event_id: id,
      sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
      reason: '550 5.1.1 The email account that you tried to reach does not exist',
      status: '5.1.1',
      type: 'bounce',
    });
    const signed = (body: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign('sha256', Buffer.from(timestamp + body), sendgrid.privateKey).toString('base64');
      return { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp };
    };
    const valid = JSON.stringify([event(8, 'sg-valid-bounce-8')]);
    const tamperedBody = JSON.stringify([event(0, 'sg-tampered-bounce-0')]);
    await tamperedValidAndRepeated({
      // Signed, then one field changed: the signature no longer covers the body.
      tampered: () => postWebhook('sendgrid', tamperedBody.replace('5.1.1', '5.1.2'), signed(tamperedBody)),
      valid: () => postWebhook('sendgrid', valid, signed(valid)),
    });
    const entry = await waitFor(() => suppression(recipients[8]!, 'global'), (e) => e !== undefined, { timeoutMs: 10_000, description: 'the SendGrid suppression' });
    expect(entry).toMatchObject({ reason: 'bounced', source: newsletterId, detail: expect.stringContaining('5.1.1') });
    expect(await suppression(recipients[0]!, 'global')).toBeUndefined();
  });

  it('Postmark (basic auth): a hard bounce for recipient 9 suppresses it once however often it comes; wrong credentials are refused', async () => {
    // The bounce webhook of Postmark's docs (postmarkapp.com/developer/webhooks/bounce-webhook), "include
    // message content" on: Content is the bounce with the original's headers, our Message-ID among them.
    const bounce = (i: number, id: number) =>
      JSON.stringify({
        RecordType: 'Bounce',
        MessageStream: 'outbound',
        ID: id,
        Type: 'HardBounce',
        TypeCode: 1,
        Name: 'Hard bounce',
        Tag: 'newsletter',
        MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
        ServerID: 23,
        Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
        Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
        Email: recipients[i],
        From: 'news@example.org',
        BouncedAt: new Date().toISOString(),
        DumpAvailable: true,
        Inactive: true,
        CanActivate: true,
        Subject: 'November news',
        Content: `Return-Path: <>\r\nMessage-ID: ${received(i).messageId}\r\nTo: ${recipients[i]}\r\nSubject: November news\r\n`,
      });
    const basic = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
    await tamperedValidAndRepeated({
      tampered: () => postWebhook('postmark', bounce(0, 1234567001), basic('postmark-hook:not-the-password-0123')),
      valid: () => postWebhook('postmark', bounce(9, 1234567002), basic(postmarkCredentials)),
    });
    const entry = await waitFor(() => suppression(recipients[9]!, 'global'), (e) => e !== undefined, { timeoutMs: 10_000, description: 'the Postmark suppression' });
    expect(entry).toMatchObject({ reason: 'bounced', source: newsletterId });
    expect(await suppression(recipients[0]!, 'global')).toBeUndefined();
  });

  it('Amazon SES through SNS (signed, the certificate fetched over https from a trusted host): a bounce for recipient 10 suppresses it once however often it comes; an altered message is refused', async () => {
    // SES's bounce notification (docs.aws.amazon.com/ses/latest/dg/notification-contents.html) in an
    // SNS HTTP Notification (docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html),
    // signed as SNS documents it (SignatureVersion 2: SHA256withRSA over the fields in order).
    const sesBounce = (i: number) => ({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: recipients[i], action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: new Date().toISOString(),
        feedbackId: '00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000',
        reportingMTA: 'dsn; a27-23.smtp-out.eu-west-1.amazonses.com',
      },
      mail: {
        timestamp: new Date().toISOString(),
        source: 'news@example.org',
        messageId: '00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000',
        destination: [recipients[i]],
        commonHeaders: { from: ['News <news@example.org>'], to: [recipients[i]], messageId: received(i).messageId, subject: 'November news' },
      },
    });
    const notification = (messageId: string, i: number) => {
      const message: Record<string, string> = {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: sesTopic,
        Message: JSON.stringify(sesBounce(i)),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '2',
        SigningCertURL: certificateUrl,
        UnsubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${sesTopic}:c9135db0`,
      };
      const signed = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'].filter((f) => message[f] !== undefined).map((f) => `${f}\n${message[f]}\n`).join('');
      message['Signature'] = createSign('RSA-SHA256').update(signed).sign(TEST_TLS_KEY, 'base64');
      return message;
    };
    const valid = JSON.stringify(notification('5d3a1f0e-6b4c-4e8f-9a7d-2c1b0e9f8a10', 10));
    const tampered = notification('7e9c2d4b-1a3f-4b6e-8d0c-5f2a9b8c7d61', 0);
    tampered['Message'] = tampered['Message']!.replace('Permanent', 'Transient');
    await tamperedValidAndRepeated({
      tampered: () => postWebhook('ses', JSON.stringify(tampered), {}),
      valid: () => postWebhook('ses', valid, {}),
    });
    const entry = await waitFor(() => suppression(recipients[10]!, 'global'), (e) => e !== undefined, { timeoutMs: 10_000, description: 'the SES suppression' });
    expect(entry).toMatchObject({ reason: 'bounced', source: newsletterId, detail: expect.stringContaining('5.1.1') });
    expect(await suppression(recipients[0]!, 'global')).toBeUndefined();
    const metrics = await feedbackMetrics();
    for (const source of ['sendgrid', 'postmark', 'ses']) expect(metrics).toMatch(new RegExp(`mailroom_feedback_reports_total\\{source="${source}",result="bounce_hard"\\} 2\\b`));
  });

  it('the newsletter counts each bouncing and complaining recipient once, however many reports come (GET and the tracker metric)', async () => {
    // A second, different report about recipient 3 (another server's wording): the same recipient.
    const again = await mail(received(3).envelopeFrom, dsnSample({ recipient: recipients[3]!, status: '5.1.10' }));
    expect(again.data?.code).toBe(250);
    // The tracker has handled all nine reports stored (DSN, ARF, Mailgun, redacted ARF, unnamed DSN,
    // SendGrid, Postmark, SES, the second DSN) before we look.
    const handled = (metrics: string) =>
      metrics
        .split('\n')
        .filter((line) => line.startsWith('mailroom_messages_handled_total{') && line.includes('event="feedback.received"') && line.includes('settlement="ack"') && line.includes('consumer="tracker"'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    await waitFor(
      async () => handled(await (await fetch(`${stack.tracker.baseUrl}/metrics`)).text()),
      (count) => count >= 9,
      { timeoutMs: 15_000, description: 'the tracker to handle the nine reports' },
    );
    const view = await stack.request<{ status: string; bounced: number; complained: number; sent: number }>('GET', `/v1/newsletters/${newsletterId}`);
    expect(view.body).toMatchObject({ status: 'completed', sent: 12, bounced: 6, complained: 2 });
    const metrics = await (await fetch(`${stack.tracker.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/mailroom_recipients_feedback_total\{kind="bounce_hard"\} 6\b/);
    expect(metrics).toMatch(/mailroom_recipients_feedback_total\{kind="complaint"\} 2\b/);
    // Per newsletter, for the rate rules: the leading tracker's gauge.
    const perNewsletter = (text: string, outcome: string) =>
      text.split('\n').find((line) => line.startsWith('mailroom_newsletter_recipients{') && line.includes(`newsletter="${newsletterId}"`) && line.includes(`outcome="${outcome}"`));
    const leader = await waitFor(
      async () => (await fetch(`${stack.tracker.baseUrl}/metrics`)).text(),
      (text) => perNewsletter(text, 'complained') !== undefined,
      { timeoutMs: 20_000, description: 'the per-newsletter gauges of the leading tracker' },
    );
    expect(['sent', 'bounced', 'complained'].map((o) => perNewsletter(leader, o)?.split(' ').pop())).toEqual(['12', '6', '2']);
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
    expect((await stack.request<{ bounced: number }>('GET', `/v1/newsletters/${newsletterId}`)).body.bounced).toBe(6);
  });

  it('the next newsletter to the same twelve skips the bounced and the complaining addresses', async () => {
    const next = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'December news', text: 'Hello again', batchSize: 20, recipients: recipients.map((email) => ({ email })) },
    });
    expect(next.status).toBe(202);
    const view = await stack.waitForNewsletter<{ status: string; sent: number; suppressed: number }>(next.body.id, (v) => v.status === 'completed');
    expect({ sent: view.sent, suppressed: view.suppressed }).toEqual({ sent: 3, suppressed: 9 });
    const december = smtp.messages.filter((m) => m.raw.toString('utf8').includes('Subject: December news')).flatMap((m) => m.to).sort();
    expect(december).toEqual([recipients[0], recipients[11], recipients[4]]);
  });
});

