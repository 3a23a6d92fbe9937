import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { matchApiKey } from './api-keys';
import { UnauthorizedError } from '../http/api-errors';

/** The caller as far as logs and idempotency are concerned: the key's name, never the key. */
export interface AuthenticatedRequest extends Request {
  apiKeyName?: string;
}

/** `Authorization: Bearer <key>`; anything else is a 401. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedError('Missing "Authorization: Bearer <key>" header');
    const key = matchApiKey(this.config.apiKeys, match[1]!);
    if (!key) throw new UnauthorizedError('Invalid API key');
    request.apiKeyName = key.name;
    return true;
  }
}
