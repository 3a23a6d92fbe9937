import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { bootService } from '@mailroom/service';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { serveOpenApi } from './docs/openapi';
import { grpcServerOptions } from './grpc/grpc-server.options';
import { installJsonBodyParser } from './http/body-parsing';

void bootService<ReturnType<typeof loadGatewayConfig>, NestExpressApplication>({
  service: 'gateway',
  loadConfig: () => loadGatewayConfig(),
  module: (config) => AppModule.register(config),
  appOptions: { bodyParser: false },
  configure: (app, config) => {
    installJsonBodyParser(app, config.maxBodyBytes);
    serveOpenApi(app);
    // Hybrid app: the same module serves gRPC. Its guard, filter and interceptor are declared on the
    // gRPC controllers, not inherited from HTTP's global ones (inheritAppConfig stays off).
    app.connectMicroservice(grpcServerOptions(config));
  },
  afterListen: (app) => {
    // A large list import over a slow link streams for a long time; Node's default would cut any
    // request off after 5 minutes. Idle sockets are still closed by the headers and keep-alive timeouts.
    app.getHttpServer().requestTimeout = 0;
  },
  listening: (config) => `(HTTP, docs at /docs) and :${config.grpcPort} (gRPC)`,
});
