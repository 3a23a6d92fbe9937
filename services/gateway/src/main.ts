import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@mailroom/config';
import { installGracefulShutdown } from '@mailroom/observability';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
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
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger });
  await app.listen(config.httpPort);
  logger.log(`Gateway listening on :${config.httpPort} (namespace ${config.namespace})`);
}

void bootstrap();
