import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/** The caller as far as logs and idempotency are concerned: the key's name, never the key. */
export interface AuthenticatedRequest extends Request {
  apiKeyName?: string;
}

/**
 * HTTP: `Authorization: Bearer <key>` (401 otherwise), then one request from that key's rate
 * budget (429 with Retry-After when it is spent). Runs before validation, so malformed requests
 * count against the budget too.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly rateLimiter: RequestRateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const name = this.authenticator.authenticate(request.headers.authorization);
    this.rateLimiter.consume(name);
    request.apiKeyName = name;
    return true;
  }
}
