import type { ArgumentsHost } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { Caller } from '../auth/caller';

/**
 * The caller (API key name, tenant, scopes) a call was authenticated as, attached to the call's own metadata object by
 * the guard. A WeakMap rather than a metadata entry, so that no client can send it.
 */
const callers = new WeakMap<Metadata, Caller>();

export function setCaller(metadata: Metadata, caller: Caller): void {
  callers.set(metadata, caller);
}

/** Throws when the guard did not run: a wiring bug, answered as INTERNAL. */
export function callerOf(metadata: Metadata): Caller {
  const caller = callers.get(metadata);
  if (caller === undefined) throw new Error('gRPC call reached its handler without GrpcAuthGuard');
  return caller;
}

/** The gRPC arguments Nest passes a handler, guard, interceptor or filter: (request, metadata, call). */
export function grpcCallOf(host: ArgumentsHost): { metadata?: Metadata; path: string; caller?: string } {
  const metadata = host.getArgByIndex<Metadata | undefined>(1);
  const call = host.getArgByIndex<{ getPath?: () => string } | undefined>(2);
  return { metadata, path: call?.getPath?.() ?? 'unknown', caller: metadata ? callers.get(metadata)?.keyName : undefined };
}
