import type { INestApplication } from '@nestjs/common';
import { JetStreamConnection } from '../connection/jetstream-connection';
import { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher';
import type { MetricsRegistry } from '@mailroom/observability';
import { JetStreamServer, type JetStreamServerOptions } from './jetstream.server';
import { transportMetrics } from './transport-metrics';
import { RethrowRpcExceptionsFilter } from './rethrow-rpc-exceptions.filter';

/** Attaches the JetStream transport to an HTTP app (a hybrid app: HTTP for health and metrics). */
export function connectJetStreamTransport(
  app: INestApplication,
  options: Omit<JetStreamServerOptions, 'client' | 'deadLetters' | 'onSettled'> & {
    /** Where handled messages are counted (`mailroom_messages_handled_total`); none without it. */
    readonly metrics?: MetricsRegistry;
  },
): JetStreamServer {
  const client = app.get(JetStreamConnection);
  const { metrics, ...serverOptions } = options;
  const server = new JetStreamServer({
    ...serverOptions,
    client,
    deadLetters: app.get(DeadLetterPublisher),
    resolve: (token) => app.get(token),
    ...(metrics ? { onSettled: transportMetrics(metrics, client.topology.namespace) } : {}),
  });
  // Deferred, so the filter is in place before Nest wraps the handlers (it reads filters then).
  const microservice = app.connectMicroservice(
    { strategy: server },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcExceptionsFilter());
  return server;
}
