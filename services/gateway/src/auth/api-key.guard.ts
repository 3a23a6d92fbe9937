import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { assertScopes, type Caller } from './caller';

/** The caller as far as logs and idempotency are concerned (the key's name, never the key), its tenant and scopes. */
export interface AuthenticatedRequest extends Request {
  apiKeyName?: string;
  caller?: Caller;
}

/**
 * HTTP: `Authorization: Bearer <key>` (401 otherwise), then one request from that key's rate
 * budget (429 with Retry-After when it is spent), then the route's scope (403). Runs before
 * validation, so malformed requests count against the budget too.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly rateLimiter: RequestRateLimiter,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const caller = this.authenticator.authenticate(request.headers.authorization);
    this.rateLimiter.consume(caller.keyName);
    request.apiKeyName = caller.keyName;
    request.caller = caller;
    assertScopes(this.reflector, context, caller);
    return true;
  }
}
