import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { bootService } from '@mailroom/service';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { serveOpenApi } from './docs/openapi';
import { grpcServerOptions } from './grpc/grpc-server.options';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { AuthFailureThrottle } from './http/auth-failure-throttle';
import { applyServerTimeouts, installJsonBodyParser } from './http/body-parsing';

void bootService<ReturnType<typeof loadGatewayConfig>, NestExpressApplication>({
  service: 'gateway',
  loadConfig: () => loadGatewayConfig(),
  module: (config) => AppModule.register(config),
  appOptions: { bodyParser: false },
  configure: (app, config) => {
    const authenticator = app.get(ApiKeyAuthenticator);
    installJsonBodyParser(app, config, { authenticate: (header) => authenticator.authenticate(header), throttle: app.get(AuthFailureThrottle) });
    applyServerTimeouts(app.getHttpServer(), config);
    serveOpenApi(app);
    // Hybrid app: the same module serves gRPC. Its guard, filter and interceptor are declared on the
    // gRPC controllers, not inherited from HTTP's global ones (inheritAppConfig stays off).
    app.connectMicroservice(grpcServerOptions(config));
  },
  listening: (config) => `(HTTP, docs at /docs) and :${config.grpcPort} (gRPC)`,
});
