import type { INestApplication } from '@nestjs/common';
import { NatsClient } from '../connection/nats-client';
import { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher';
import { JetStreamServer, type JetStreamServerOptions } from './jetstream.server';
import { RethrowRpcExceptionsFilter } from './rethrow-rpc-exceptions.filter';

/** Attaches the JetStream transport to an HTTP app (a hybrid app: HTTP for health and metrics). */
export function connectJetStreamTransport(
  app: INestApplication,
  options: Omit<JetStreamServerOptions, 'client' | 'deadLetters'>,
): JetStreamServer {
  const server = new JetStreamServer({
    ...options,
    client: app.get(NatsClient),
    deadLetters: app.get(DeadLetterPublisher),
  });
  // Deferred, so the filter is in place before Nest wraps the handlers (it reads filters then).
  const microservice = app.connectMicroservice(
    { strategy: server },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcExceptionsFilter());
  return server;
}
