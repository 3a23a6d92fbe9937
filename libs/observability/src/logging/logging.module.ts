import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';

export interface LoggingOptions {
  readonly service: string;
  readonly level: string;
}

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * JSON logs (pino) with the service name on every line. Authorization headers and cookies are
 * redacted; probes and scrapes are not logged.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { service: options.service },
            messageKey: 'msg',
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
              censor: '[redacted]',
            },
            // The caller's API key *name* (set by the gateway's guard), never the key itself.
            customProps: (req: IncomingMessage) => {
              const name = (req as IncomingMessage & { apiKeyName?: string }).apiKeyName;
              return name ? { apiKey: name } : {};
            },
            autoLogging: {
              ignore: (req: IncomingMessage) => QUIET_PATHS.some((p) => req.url?.startsWith(p) ?? false),
            },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
            },
          },
        }),
      ],
    };
  }
}
