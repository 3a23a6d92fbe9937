import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../http/api-errors';
import type { Scope } from './api-keys';

/**
 * Who is calling: the key's name (safe to log, never the key), its tenant (whose data it sees)
 * and its scopes. Set by ApiKeyGuard (HTTP) or GrpcAuthGuard (gRPC).
 */
export interface Caller {
  readonly keyName: string;
  readonly tenant: string;
  readonly scopes: ReadonlySet<Scope>;
}

export const REQUIRED_SCOPES = 'mailroom:required-scopes';

/**
 * The scopes a route or RPC needs, any one of them (403 `forbidden` otherwise). Every route behind
 * an API key declares one: a route without is refused (a wiring bug fails closed).
 */
export const RequiresScope = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** Refuses a caller without one of the scopes the handler declares (RequiresScope). */
export function assertScopes(reflector: Reflector, context: ExecutionContext, caller: Caller): void {
  const required = reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
  if (!required || required.length === 0) throw new ForbiddenError('This operation declares no scope; refused');
  if (!required.some((scope) => caller.scopes.has(scope))) {
    throw new ForbiddenError(`This API key (${caller.keyName}) lacks the ${required.map((s) => `"${s}"`).join(' or ')} scope`);
  }
}

export function hasScope(caller: Caller, scope: Scope): boolean {
  return caller.scopes.has(scope);
}

/** The HTTP request as the guard leaves it. */
export interface RequestWithCaller {
  caller?: Caller;
}

/** `@AuthCaller() caller: Caller` in an HTTP handler behind ApiKeyGuard. */
export const AuthCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new Error('HTTP route reached its handler without ApiKeyGuard');
  return caller;
});
