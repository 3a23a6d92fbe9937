import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Metadata } from '@grpc/grpc-js';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { assertScopes, type Caller } from '../auth/caller';
import { ApiError, RateLimitedError } from '../http/api-errors';
import { AuthFailureThrottle } from '../http/auth-failure-throttle';
import { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import { setCaller } from './grpc-caller';

/** The call's peer without its port (`ipv4:1.2.3.4:5678` → `1.2.3.4`), so one client is one address. */
function peerAddress(call: { getPeer?: () => string } | undefined): string {
  const peer = call?.getPeer?.() ?? 'unknown';
  return peer.replace(/^ipv[46]:/, '').replace(/^\[(.*)\]:\d+$/, '$1').replace(/^([^:]+):\d+$/, '$1');
}

/**
 * gRPC: `authorization: Bearer <key>` metadata (UNAUTHENTICATED otherwise), then one request from
 * the key's rate budget, shared with its HTTP requests (RESOURCE_EXHAUSTED with `retry-after`),
 * then the method's scope (PERMISSION_DENIED). An address that failed authentication
 * AUTH_FAILURES_PER_MINUTE times is refused the same way.
 */
@Injectable()
export class GrpcAuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly rateLimiter: RequestRateLimiter,
    private readonly reflector: Reflector,
    private readonly throttle: AuthFailureThrottle,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const metadata = context.switchToRpc().getContext<Metadata>();
    const values = metadata.get('authorization');
    const authorization = values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
    // Failed authentications are throttled per client address, as over HTTP.
    const peer = peerAddress(context.getArgByIndex<{ getPeer?: () => string } | undefined>(2));
    const wait = this.throttle.retryAfterSeconds(peer);
    if (wait > 0) throw new RateLimitedError(`Too many failed authentications from this address; try again in ${wait} s`, wait);
    let caller: Caller;
    try {
      caller = this.authenticator.authenticate(authorization);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.throttle.fail(peer);
      throw error;
    }
    this.rateLimiter.consume(caller.keyName);
    setCaller(metadata, caller);
    assertScopes(this.reflector, context, caller);
    return true;
  }
}
