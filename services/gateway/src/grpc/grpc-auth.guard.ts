import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Metadata } from '@grpc/grpc-js';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { assertScopes } from '../auth/caller';
import { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import { setCaller } from './grpc-caller';

/**
 * gRPC: `authorization: Bearer <key>` metadata (UNAUTHENTICATED otherwise), then one request from
 * the key's rate budget, shared with its HTTP requests (RESOURCE_EXHAUSTED with `retry-after`),
 * then the method's scope (PERMISSION_DENIED).
 */
@Injectable()
export class GrpcAuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly rateLimiter: RequestRateLimiter,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const metadata = context.switchToRpc().getContext<Metadata>();
    const values = metadata.get('authorization');
    const authorization = values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
    const caller = this.authenticator.authenticate(authorization);
    this.rateLimiter.consume(caller.keyName);
    setCaller(metadata, caller);
    assertScopes(this.reflector, context, caller);
    return true;
  }
}
