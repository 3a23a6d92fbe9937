import 'reflect-metadata';
import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { topology, type Topology } from '@mailroom/contracts';
import { loadConfigOrExit, type CommonConfig } from '@mailroom/config';
import { connectJetStreamTransport, type ConsumerBinding } from '@mailroom/jetstream';
import { MetricsRegistry, installGracefulShutdown } from '@mailroom/observability';
import { ServiceModule, type ServiceName } from './service.module';

export interface ServiceDefinition<C extends CommonConfig, A extends INestApplication = INestApplication> {
  readonly service: ServiceName;
  /** Reads and validates the environment (a bad one ends the process before anything connects). */
  readonly loadConfig: () => C;
  /** The service's own module: controllers and providers. NATS, logs, metrics and health come from the boot. */
  readonly module: (config: C) => DynamicModule;
  /** The JetStream consumers this service binds (the gateway binds none). */
  readonly consumers?: (config: C, names: Topology) => readonly ConsumerBinding[];
  /** Queue group of this service's query handlers (`@AnswersQuery`), shared by its replicas. */
  readonly queryQueueGroup?: (config: C) => string;
  readonly appOptions?: NestApplicationOptions;
  /** Things the service adds before listening: body parsers, OpenAPI, a gRPC server, notices to log. */
  readonly configure?: (app: A, config: C, logger: Logger) => void;
  /** Called once listening (settings of the HTTP server itself). */
  readonly afterListen?: (app: A, config: C) => void;
  /** What the service says once listening, after "<Service> listening on :<port>". */
  readonly listening?: (config: C) => string;
}

/**
 * The one way a Mailroom service starts: config → module with NATS, logs, metrics and health →
 * JetStream consumers → graceful shutdown → listen. Every `main.ts` is one call of this, so the
 * services cannot drift apart in how they boot (one once provisioned without its replicas).
 */
export async function bootService<C extends CommonConfig, A extends INestApplication = INestApplication>(
  definition: ServiceDefinition<C, A>,
): Promise<A> {
  const config = loadConfigOrExit(definition.service, definition.loadConfig);
  const root: DynamicModule = {
    module: class MailroomServiceRoot {},
    imports: [ServiceModule.forRoot(definition.service, config), definition.module(config)],
  };
  const app = await NestFactory.create<A>(root, { bufferLogs: true, ...definition.appOptions });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const consumers = definition.consumers?.(config, topology(config.namespace)) ?? [];
  if (consumers.length > 0 || definition.queryQueueGroup) {
    connectJetStreamTransport(app, {
      metrics: app.get(MetricsRegistry),
      consumers,
      ...(definition.queryQueueGroup ? { queryQueueGroup: definition.queryQueueGroup(config) } : {}),
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      bootBudgetMs: config.bootTimeoutMs,
    });
  }
  definition.configure?.(app, config, logger);
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger });
  await app.startAllMicroservices();
  await app.listen(config.httpPort);
  definition.afterListen?.(app, config);
  const name = definition.service[0]!.toUpperCase() + definition.service.slice(1);
  const extra = definition.listening?.(config);
  logger.log(`${name} listening on :${config.httpPort}${extra ? ` ${extra}` : ''} (namespace ${config.namespace}, ${config.streamReplicas} replica(s))`);
  return app;
}
