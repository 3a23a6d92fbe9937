import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server that requires AUTH with one user and password (the harness's SmtpSink accepts
 * anonymous mail only), so a test can configure an SMTP password that is really used.
 */
export class AuthSmtpSink {
  private accepted = 0;
  private logins = 0;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(user: string, password: string): Promise<AuthSmtpSink> {
    const holder: { sink?: AuthSmtpSink } = {};
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      disableReverseLookup: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username !== user || auth.password !== password) return callback(new Error('Invalid username or password'));
        holder.sink!.logins += 1;
        return callback(null, { user });
      },
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => {
          holder.sink!.accepted += 1;
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
    holder.sink = new AuthSmtpSink(server, port);
    return holder.sink;
  }

  get acceptedTotal(): number {
    return this.accepted;
  }

  get successfulLogins(): number {
    return this.logins;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
