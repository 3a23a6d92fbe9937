import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@mailroom/config';
import { installGracefulShutdown } from '@mailroom/observability';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { serveOpenApi } from './docs/openapi';
import { grpcServerOptions } from './grpc/grpc-server.options';
import { installJsonBodyParser } from './http/body-parsing';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('gateway', () => loadGatewayConfig());
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  installJsonBodyParser(app, config.maxBodyBytes);
  serveOpenApi(app);
  // Hybrid app: the same module serves gRPC. Its guard, filter and interceptor are declared on the
  // gRPC controllers, not inherited from HTTP's global ones (inheritAppConfig stays off).
  app.connectMicroservice(grpcServerOptions(config));
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger });
  await app.startAllMicroservices();
  await app.listen(config.httpPort);
  // A large list import over a slow link streams for a long time; Node's default would cut any
  // request off after 5 minutes. Idle sockets are still closed by the headers and keep-alive timeouts.
  app.getHttpServer().requestTimeout = 0;
  logger.log(`Gateway listening on :${config.httpPort} (HTTP, docs at /docs) and :${config.grpcPort} (gRPC) (namespace ${config.namespace})`);
}

void bootstrap();
