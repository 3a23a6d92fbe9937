import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnsubscribeTokens, type NewsletterView } from '@mailroom/contracts';
import { MailroomStack, waitFor } from '@mailroom/testing';
import { AuthSmtpSink } from './support/auth-smtp-sink';
import { bearer, GrpcTestClient } from './support/grpc-client';

jest.setTimeout(180_000);

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** Every secret this deployment is given, and one a caller presents. None may appear in any log line. */
const OPS_KEY = 'ops-key-Zq8wX3vN5tL1pR7y';
const PARTNER_KEY = 'partner-key-Hj4kM9sD2fG6aQ0e';
const OLD_KEY = 'old-key-Bv7cN1xZ5mK3lP9w';
const WRONG_KEY = 'wrong-key-Yt6rE2wQ8uI4oP0a';
const SMTP_USER = 'mailroom-relay';
const SMTP_PASSWORD = 'SmtpPass-Kd83jf92LmQ';
const WEBHOOK_SECRET = 'whsec-Pq73nB5vC1xZ9mL4';
const UNSUBSCRIBE_SECRET = 'unsub-Rw82mK4nB7vC1xZ9qL3pT6yH0dF5gJ2s';
const BOUNCE_SECRET = 'bounce-Zx41vB8nM2qW6eR0tY3uI7oP5aS9dF1g';
const DKIM_PEM = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

/** The secrets as they could leak: verbatim, as SMTP AUTH encodes them, and each line of the PEM. */
const LEAK_FORMS: ReadonlyArray<readonly [string, string]> = [
  ['API key "ops"', OPS_KEY],
  ['API key "partner" (configured as a hash)', PARTNER_KEY],
  ['revoked API key', OLD_KEY],
  ['wrong API key a caller presented', WRONG_KEY],
  ['SMTP password', SMTP_PASSWORD],
  ['SMTP password (base64)', Buffer.from(SMTP_PASSWORD).toString('base64')],
  ['SMTP AUTH PLAIN', Buffer.from(`\0${SMTP_USER}\0${SMTP_PASSWORD}`).toString('base64')],
  ['webhook secret', WEBHOOK_SECRET],
  ['unsubscribe secret', UNSUBSCRIBE_SECRET],
  ['bounce secret', BOUNCE_SECRET],
  ...DKIM_PEM.split('\n')
    .filter((line) => line.length >= 40 && !line.startsWith('-----'))
    .map((line, i): [string, string] => [`DKIM private key, line ${i + 2}`, line]),
];

describe('no secret in any log line of any service (real processes, debug logs)', () => {
  let smtp: AuthSmtpSink;
  let stack: MailroomStack;
  let grpc: GrpcTestClient;
  let receiver: Server;
  /** Webhook requests received (headers and body), to check the secret signs rather than travels. */
  const webhookRequests: string[] = [];

  beforeAll(async () => {
    // A webhook receiver on loopback, allowed explicitly (WEBHOOK_ALLOW_PRIVATE) for this test only.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        webhookRequests.push(`${JSON.stringify(req.headers)}\n${body}`);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    smtp = await AuthSmtpSink.start(SMTP_USER, SMTP_PASSWORD);
    stack = await MailroomStack.start({
      smtpUrl: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
      env: { LOG_LEVEL: 'debug', WEBHOOK_SECRET, WEBHOOK_ALLOW_PRIVATE: 'true', UNSUBSCRIBE_SECRET },
      serviceEnv: {
        gateway: {
          // One tenant: ops follows the newsletters partner sends.
          API_KEYS: `acme/ops:${OPS_KEY},acme/partner:sha256:${sha256Hex(PARTNER_KEY)},acme/old:${OLD_KEY}`,
          API_KEYS_REVOKED: 'old',
          DEFAULT_FROM: 'Acme News <news@acme.example>',
          ALLOWED_FROM: '@acme.example',
        },
        sender: {
          DKIM_KEYS: JSON.stringify([{ domain: 'acme.example', selector: 'mr2026', privateKey: DKIM_PEM }]),
          PUBLIC_BASE_URL: 'https://mail.acme.example',
          // Signs every bounce address and Message-ID.
          BOUNCE_DOMAIN: 'bounces.acme.example',
          BOUNCE_SECRET,
        },
      },
    });
    grpc = new GrpcTestClient(`127.0.0.1:${stack.gateway.grpcPort}`);
  });

  afterAll(async () => {
    grpc?.close();
    await stack?.stop();
    await smtp?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const settled = (id: string) =>
    waitFor(
      async () => (await stack.request<NewsletterView>('GET', `/v1/newsletters/${id}`, { apiKey: OPS_KEY })).body,
      (view) => view.status === 'completed',
      { timeoutMs: 60_000, intervalMs: 200, description: `newsletter ${id} to complete` },
    );

  it('sends over HTTP and gRPC and refuses bad keys on both, then no log line holds a secret', async () => {
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const viaHttp = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      apiKey: OPS_KEY,
      headers: { 'idempotency-key': 'secret-test-1' },
      body: { subject: 'Secrets stay secret', text: 'Hello', recipients: ['s1@example.org', 's2@example.org'], webhookUrl },
    });
    expect(viaHttp.status).toBe(202);
    const viaGrpc = await grpc.call<{ id: string }>(
      'SendNewsletter',
      { subject: 'Over gRPC', text: 'Hello', recipients: [{ email: 's3@example.org' }] },
      bearer(PARTNER_KEY),
    );
    for (const key of [WRONG_KEY, OLD_KEY]) {
      const refused = await stack.request('POST', '/v1/newsletters', { apiKey: key, body: { subject: 'x', text: 'x', recipients: ['a@example.org'] } });
      expect(refused.status).toBe(401);
      expect((await grpc.failure('GetNewsletter', { id: viaHttp.body.id }, bearer(key))).code).toBe('UNAUTHENTICATED');
    }
    await settled(viaHttp.body.id);
    await settled(viaGrpc.id);
    expect(smtp.acceptedTotal).toBe(3);
    // The tracker signs the completion webhook with WEBHOOK_SECRET; the secret itself never travels.
    await waitFor(() => webhookRequests.length, (n) => n > 0, { timeoutMs: 30_000, description: 'the completion webhook' });
    expect(webhookRequests.filter((request) => request.includes(WEBHOOK_SECRET))).toEqual([]);
    expect(smtp.successfulLogins).toBeGreaterThan(0);

    // A one-click unsubscribe (its link signed with the deployment's secret, as the sender signs it).
    const token = new UnsubscribeTokens(UNSUBSCRIBE_SECRET).sign({ newsletterId: viaHttp.body.id, email: 's1@example.org' });
    const unsubscribed = await fetch(`${stack.gateway.baseUrl}/unsubscribe/${token}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(unsubscribed.status).toBe(200);

    // Stopping flushes every process's last lines (shutdown logs included).
    await stack.stop();
    const leaks: string[] = [];
    for (const service of stack.all) {
      expect({ service: service.label, lines: service.output.length > 5 }).toEqual({ service: service.label, lines: true });
      for (const line of service.output) {
        for (const [what, secret] of LEAK_FORMS) {
          if (line.includes(secret)) leaks.push(`${service.label} logged the ${what}: ${line.slice(0, 200)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // The unsubscribe link is logged as a URL: its token must not give the address away.
    const unsubscribeLines = stack.gateway.output.filter((line) => line.includes('/unsubscribe/'));
    expect(unsubscribeLines.length).toBeGreaterThan(0);
    expect(unsubscribeLines.filter((line) => /s1@example\.org|s1%40example\.org/.test(line))).toEqual([]);

    // What the logs do say instead: which key, by name.
    const gatewayLog = stack.gateway.output.join('\n');
    expect(gatewayLog).toMatch(/"caller":"ops"|"apiKey":"ops"/);
    expect(gatewayLog).toContain('"apiKey":"partner"');
    expect(gatewayLog).toContain('"apiKey":"old"');
  });
});
