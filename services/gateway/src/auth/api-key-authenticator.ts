import { Inject, Injectable, Logger } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { UnauthorizedError } from '../http/api-errors';
import { matchApiKey } from './api-keys';
import type { Caller } from './caller';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Turns an `authorization` value (HTTP header or gRPC metadata) into the caller (key name, tenant,
 * scopes), or refuses it. Only the name ever reaches a log line; the presented value never does.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  /** @returns the caller whose key is presented as `Bearer <key>`. */
  authenticate(authorization: string | undefined): Caller {
    const match = BEARER.exec(authorization ?? '');
    if (!match) throw new UnauthorizedError('Missing "authorization: Bearer <key>"');
    const key = matchApiKey(this.config.apiKeys, match[1]!);
    if (!key) throw new UnauthorizedError('Invalid API key');
    if (key.revoked) {
      this.logger.warn({ apiKey: key.name }, 'Revoked API key presented');
      throw new UnauthorizedError('This API key has been revoked');
    }
    return { keyName: key.name, tenant: key.tenant, scopes: key.scopes };
  }
}
