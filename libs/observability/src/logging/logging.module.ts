import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { redactUrl } from './redact-url';

interface LoggingOptions {
  readonly service: string;
  readonly level: string;
}

/**
 * JSON logs (pino) with the service name on every line. Authorization headers and cookies are
 * redacted, and so are query strings' values (`?api_key=…` is logged as `?api_key=[redacted]`). Probes and scrapes do not go through the request logger at all: its middleware runs
 * each request inside an AsyncLocalStorage, and the first such run turns on Node's promise hooks
 * for the life of the process, a cost on every promise of the hot path (the sender and tracker
 * serve nothing else over HTTP, so they never pay it).
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          exclude: [
            { path: 'health/*path', method: RequestMethod.ALL },
            { path: 'metrics', method: RequestMethod.ALL },
          ],
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
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: redactUrl(req.url),
              }),
            },
          },
        }),
      ],
    };
  }
}
