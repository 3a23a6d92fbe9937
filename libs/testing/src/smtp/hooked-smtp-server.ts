import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { freePort } from '../free-port';

/** An smtp-server on a free local port, with the hooks a test gave it. */
export interface HookedSmtpServer {
  readonly port: number;
  readonly url: string;
  /** The text of every message that reached its end of DATA, in order, whatever the answer to it. */
  readonly received: readonly string[];
  /** Connections open now (a server dropping idle ones closes them). */
  openConnections(): number;
  /** Closes the connection of this session without a word (a server going away mid-transaction). */
  dropConnection(sessionId: string): void;
  close(): Promise<void>;
}

/**
 * An smtp-server with the hooks a test needs that `SmtpSink` has not: refusals of MAIL FROM or
 * RCPT TO, an answer of its own at the end of DATA (`onData`, called once the text is kept),
 * `hidePIPELINING`, a short `socketTimeout`. Plain text, no authentication, no STARTTLS.
 */
export async function startHookedSmtpServer(options: SMTPServerOptions = {}): Promise<HookedSmtpServer> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    ...options,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        if (options.onData) return options.onData(stream, session, callback);
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  // smtp-server keeps its open connections in a Set it does not type.
  const connections = () => (server as unknown as { connections: Set<{ readonly id: string; close(): void }> }).connections;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    openConnections: () => connections().size,
    dropConnection: (sessionId) => {
      for (const connection of connections()) if (connection.id === sessionId) connection.close();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
