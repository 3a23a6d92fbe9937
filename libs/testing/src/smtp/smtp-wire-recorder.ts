import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One SMTP command as it reached the server, and how many earlier commands were still unanswered then. */
export interface RecordedCommand {
  /** The verb, upper-cased: MAIL, RCPT, DATA, RSET, EHLO, QUIT, … */
  readonly verb: string;
  /** Commands of this connection sent before this one whose final reply had not come back yet. */
  readonly unanswered: number;
}

/** One client connection through the recorder. */
export interface RecordedConnection {
  readonly commands: RecordedCommand[];
  /** Message bodies that went through (DATA phases ended by the client's final dot). */
  bodies: number;
}

/**
 * A TCP proxy between an SMTP client and a real SMTP server that watches the dialogue: for each
 * command the client sends, how many of its earlier commands were still unanswered. A client that
 * pipelines (RFC 2920) sends MAIL, RCPT and DATA before the first of their replies (DATA arrives
 * with 2 unanswered); one that does not always waits (0). That is certain, not timing: a reply can
 * only come back through this proxy after the command it answers went through it.
 *
 * It reads just enough SMTP to tell commands from message text (after a 354 reply the client sends
 * text up to the line "."), and final replies ("250 ok") from continuation lines ("250-SIZE").
 */
export class SmtpWireRecorder {
  readonly connections: RecordedConnection[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards every connection to `upstreamPort` there. */
  static async start(upstreamPort: number): Promise<SmtpWireRecorder> {
    const holder: { recorder?: SmtpWireRecorder } = {};
    const server = createServer((client) => holder.recorder?.relay(client, upstreamPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    holder.recorder = new SmtpWireRecorder(server, port);
    return holder.recorder;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, upstreamPort: number): void {
    const record: RecordedConnection = { commands: [], bodies: 0 };
    this.connections.push(record);
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());

    let sent = 0;
    let answered = 0;
    // Whether the client is sending message text (after a 354) rather than commands.
    let inText = false;
    // The last DATA command's reply decides whether text follows: count replies to find it.
    let dataReplyIndex = -1;
    let fromClient = '';
    let fromServer = '';

    client.on('data', (chunk: Buffer) => {
      fromClient += chunk.toString('latin1');
      for (let end = fromClient.indexOf('\r\n'); end >= 0; end = fromClient.indexOf('\r\n')) {
        const line = fromClient.slice(0, end);
        fromClient = fromClient.slice(end + 2);
        if (inText) {
          if (line === '.') {
            inText = false;
            record.bodies += 1;
            // The final dot is answered like a command.
            sent += 1;
          }
          continue;
        }
        const verb = (/^\S+/.exec(line)?.[0] ?? '').toUpperCase();
        record.commands.push({ verb, unanswered: sent - answered });
        if (verb === 'DATA') dataReplyIndex = sent;
        sent += 1;
      }
      upstream.write(chunk);
    });

    upstream.on('data', (chunk: Buffer) => {
      fromServer += chunk.toString('latin1');
      for (let end = fromServer.indexOf('\r\n'); end >= 0; end = fromServer.indexOf('\r\n')) {
        const line = fromServer.slice(0, end);
        fromServer = fromServer.slice(end + 2);
        // "250-…" continues a reply; "250 …" (or a bare code) ends it.
        if (!/^\d{3}( |$)/.test(line)) continue;
        // The greeting answers no command.
        if (record.commands.length === 0 && sent === 0) continue;
        if (answered === dataReplyIndex && line.startsWith('3')) inText = true;
        answered += 1;
      }
      client.write(chunk);
    });
  }
}
