import { createServer, type Server, type Socket } from 'node:net';

/**
 * A provider that is down, for as long as a test needs one: a TCP port this process holds, on
 * which every connection is reset the moment it opens (the client sees ECONNRESET, a
 * connection-level failure like a refused connection).
 *
 * Why not a port that was free a moment ago (`freePort`) and that nothing listens on: the port
 * is free for anyone, and the tests of a parallel run start dozens of processes on ports the
 * kernel picks. One that lands on it turns the "down" provider into another one: an HTTP server
 * that never greets makes every SMTP connection a 10 s greeting timeout, and a test that expects
 * refusals within seconds times out. That is the likeliest cause of a CI failure of
 * provider-outage.system-spec.ts at 36a4c21 (an HTTP server on the port reproduces it). Held
 * here, the port is nobody else's until `close`, after which a test can start its SMTP sink on
 * it (the provider comes back).
 */
export class UnreachablePort {
  private readonly sockets = new Set<Socket>();
  private connectionCount = 0;
  private closing?: Promise<void>;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async open(): Promise<UnreachablePort> {
    const server = createServer();
    // Every address, as `freePort` does: nothing may bind the port on another one meanwhile.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('UnreachablePort: the server has no port');
    const unreachable = new UnreachablePort(server, address.port);
    server.on('connection', (socket) => unreachable.reset(socket));
    return unreachable;
  }

  /** `smtp://127.0.0.1:<port>`: the SMTP URL of the provider that is down. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Connections reset so far (a test can tell that the client did try). */
  get connectionsReset(): number {
    return this.connectionCount;
  }

  /** Gives the port up (resolves once it is free for a sink to listen on). Again: the same promise. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const socket of this.sockets) socket.destroy();
      this.server.close(() => resolve());
    });
    return this.closing;
  }

  private reset(socket: Socket): void {
    this.connectionCount += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A reset of a socket already closed by its client is that client's business.
    socket.on('error', () => undefined);
    socket.resetAndDestroy();
  }
}
