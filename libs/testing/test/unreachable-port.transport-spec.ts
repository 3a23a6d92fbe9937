import { connect } from 'node:net';
import { SmtpSink, UnreachablePort } from '@mailroom/testing';

/** What a TCP client gets from a port: the error that ended the connection, or the first line it read. */
function firstAnswer(port: number): Promise<{ error?: string; line?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.once('data', (data: string) => {
      resolve({ line: data.split('\r\n')[0] });
      socket.destroy();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    socket.once('close', () => resolve({ error: 'closed without a reset' }));
  });
}

/**
 * The "provider that is down" of the outage and failover tests: while it holds its port every
 * connection is reset (and nothing else can listen there); once closed, an SMTP sink can take
 * the port, as a provider coming back.
 */
describe('UnreachablePort (real sockets)', () => {
  it('resets every connection while held, then gives the port up to a sink', async () => {
    const down = await UnreachablePort.open();
    let sink: SmtpSink | undefined;
    try {
      expect(down.url).toBe(`smtp://127.0.0.1:${down.port}`);
      expect(await firstAnswer(down.port)).toEqual({ error: 'ECONNRESET' });
      expect(await firstAnswer(down.port)).toEqual({ error: 'ECONNRESET' });
      expect(down.connectionsReset).toBe(2);

      await down.close();
      await down.close(); // again (a test's afterAll after the test closed it): no error
      sink = await SmtpSink.start({ port: down.port });
      expect((await firstAnswer(down.port)).line).toMatch(/^220 /);
    } finally {
      await down.close();
      await sink?.close();
    }
  });
});
