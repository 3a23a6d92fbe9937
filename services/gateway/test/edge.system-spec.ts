import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ServiceProcess, TEST_API_KEY, TEST_NATS_URL, deleteNamespace, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(60_000);

/** A raw HTTP exchange: what came back, and whether (when) the server closed the socket. */
class RawClient {
  readonly socket: Socket;
  received = '';
  closed = false;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('latin1')));
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('error', () => undefined);
  }

  write(text: string | Buffer): void {
    if (!this.closed) this.socket.write(text);
  }

  get status(): number | undefined {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.received);
    return match ? Number(match[1]) : undefined;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('gateway edge: authentication before bodies, bounded bodies and timeouts (a real gateway process, raw sockets)', () => {
  const namespace = uniqueNamespace('edge');
  let gateway: ServiceProcess;
  const clients: RawClient[] = [];
  const raw = () => {
    const client = new RawClient(gateway.port);
    clients.push(client);
    return client;
  };
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${gateway.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', ...headers },
      body,
    });

  beforeAll(async () => {
    gateway = await ServiceProcess.start('gateway', {
      env: {
        NATS_URL: TEST_NATS_URL,
        MAILROOM_NAMESPACE: namespace,
        API_KEYS: `test:${TEST_API_KEY}`,
        MAX_BODY_BYTES: String(1024 * 1024),
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_BODY_TIMEOUT_MS: '1500',
        HTTP_IDLE_TIMEOUT_MS: '3000',
        IMPORT_MIN_BYTES_PER_SECOND: '2000',
        IMPORT_THROUGHPUT_WINDOW_MS: '1000',
        AUTH_FAILURES_PER_MINUTE: '5',
        JSON_MAX_DEPTH: '32',
      },
    });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await gateway?.stop();
    await deleteNamespace(namespace);
  });

  it('answers 401 to a request without a key before its body is sent, and closes the connection', async () => {
    const client = raw();
    // Headers announce 8 MB of gzip; not a byte of it is sent.
    client.write(`POST /v1/newsletters HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${8 * 1024 * 1024}\r\n\r\n`);
    await waitFor(() => client.status !== undefined && client.closed, Boolean, { timeoutMs: 5_000, description: 'client.status !== undefined && client.closed' });
    expect(client.status).toBe(401);
  });

  it('closes a connection whose headers trickle in (slowloris) once HTTP_HEADERS_TIMEOUT_MS has passed', async () => {
    const client = raw();
    client.write('GET /v1/newsletters HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => client.write('X-A: b\r\n'), 200);
    try {
      await waitFor(() => client.closed, Boolean, { timeoutMs: 10_000, description: 'client.closed' });
    } finally {
      clearInterval(trickle);
    }
    expect(client.status === undefined || client.status === 408).toBe(true);
  });

  it('closes a connection that sends nothing', async () => {
    const client = raw();
    await waitFor(() => client.closed, Boolean, { timeoutMs: 10_000, description: 'client.closed' });
  });

  it('answers 408 to an authenticated body that trickles past HTTP_BODY_TIMEOUT_MS', async () => {
    const client = raw();
    client.write(`POST /v1/newsletters HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    const trickle = setInterval(() => client.write(' '), 200);
    try {
      await waitFor(() => client.status !== undefined, Boolean, { timeoutMs: 10_000, description: 'client.status !== undefined' });
    } finally {
      clearInterval(trickle);
    }
    expect(client.status).toBe(408);
    expect(client.received).toContain('HTTP_BODY_TIMEOUT_MS');
    await waitFor(() => client.closed, Boolean, { timeoutMs: 5_000, description: 'client.closed' });
  });

  it('refuses JSON nested 10,000 deep with 400 naming the problem (not a 500)', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const res = await post('/v1/newsletters', `{"subject":${deep}}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'malformed_json', message: 'Request body nests objects and arrays more than 32 deep (JSON_MAX_DEPTH)' });
  });

  it('refuses a gzip body that inflates past MAX_BODY_BYTES, or past MAX_INFLATE_RATIO, with 413', async () => {
    const bomb = gzipSync(Buffer.from(`{"subject":"${'a'.repeat(8 * 1024 * 1024)}"}`));
    const res = await post('/v1/newsletters', bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/MAX_INFLATE_RATIO|larger than the limit/);
    // Still serving.
    expect((await fetch(`${gateway.baseUrl}/health/live`)).status).toBe(200);
  });

  it('still reads a normal gzip body', async () => {
    const res = await post('/v1/newsletters', gzipSync(Buffer.from(JSON.stringify({ subject: 'x' }))), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('validation_failed');
  });

  it('cuts off an import trickled below IMPORT_MIN_BYTES_PER_SECOND with 408, and releases the list for the next import', async () => {
    const created = await post('/v1/lists', JSON.stringify({ name: 'Trickled' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const client = raw();
    client.write(`POST /v1/lists/${id}/subscribers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_API_KEY}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n`);
    client.write('6\r\nemail\n\r\n');
    const trickle = setInterval(() => client.write('1\r\na\r\n'), 300);
    try {
      await waitFor(() => client.status !== undefined, Boolean, { timeoutMs: 15_000, description: 'client.status !== undefined' });
    } finally {
      clearInterval(trickle);
    }
    expect(client.status).toBe(408);
    expect(client.received).toContain('IMPORT_MIN_BYTES_PER_SECOND');
    const next = await post(`/v1/lists/${id}/subscribers`, 'email\nann@example.org\n', { 'content-type': 'text/csv' });
    expect(next.status).toBe(200);
  });

  it('never logs a query string value (a key passed as ?api_key=)', async () => {
    const secret = 'query-secret-0123456789abcdef';
    await fetch(`${gateway.baseUrl}/v1/lists?api_key=${secret}&page=2`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    await waitFor(() => gateway.output.some((line) => line.includes('api_key=[redacted]')), Boolean, { timeoutMs: 5_000, description: "gateway.output.some((line) => line.includes('api_key=[redacted]'))" });
    expect(gateway.output.join('\n')).not.toContain(secret);
  });

  // Last: it blocks this test's address for a minute.
  it('throttles failed authentication per address: 429 with Retry-After, even for the right key, without reading the body', async () => {
    const attempt = (key: string) => fetch(`${gateway.baseUrl}/v1/newsletters/x`, { headers: { authorization: `Bearer ${key}` } });
    // Earlier tests of this file failed authentication twice from this address already: 401s until the fifth failure.
    const statuses: number[] = [];
    let blocked: Response | undefined;
    for (let i = 0; i < 6 && !blocked; i++) {
      const res = await attempt(`wrong-key-${i}-0123456789abcdef`);
      statuses.push(res.status);
      if (res.status === 429) blocked = res;
    }
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(statuses.length).toBeLessThanOrEqual(5);
    if (!blocked) throw new Error(`never throttled: ${statuses.join(',')}`);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: string }).error).toBe('rate_limited');
    expect((await attempt(TEST_API_KEY)).status).toBe(429);
    // Health and unsubscribe links are not behind the key, nor the throttle.
    expect((await fetch(`${gateway.baseUrl}/health/live`)).status).toBe(200);
  });
});
