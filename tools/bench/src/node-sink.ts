import { SMTPServer } from 'smtp-server';

/**
 * The fallback sink: accepts everything, keeps nothing, and prints `mesg=<n>` after each message
 * like Postfix's smtp-sink -c.
 */
export function runNodeSink(port: number): void {
  let messages = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        messages += 1;
        process.stdout.write(`mesg=${messages}\r`);
        callback();
      });
    },
  });
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
