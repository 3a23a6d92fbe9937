import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on every address (the services listen on all of them,
 * so a port free on 127.0.0.1 only is not enough).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
