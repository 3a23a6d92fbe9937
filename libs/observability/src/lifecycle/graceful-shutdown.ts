import type { INestApplication, LoggerService } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: close the app (the transport stops pulling and finishes or hands back its work,
 * HTTP stops accepting, NATS drains), then exit 0. A second signal, or the deadline, exits at once.
 */
export function installGracefulShutdown(
  app: INestApplication,
  options: { readonly timeoutMs: number; readonly logger: LoggerService },
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      options.logger.warn?.(`Second ${signal}: exiting now`);
      process.exit(1);
    }
    closing = true;
    options.logger.log(`${signal} received: shutting down`);
    const deadline = setTimeout(() => {
      options.logger.error(`Shutdown took longer than ${options.timeoutMs} ms: exiting`);
      process.exit(1);
    }, options.timeoutMs + 5_000);
    deadline.unref();
    app.close().then(
      () => {
        options.logger.log('Shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        options.logger.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
