import type { Metadata } from '@grpc/grpc-js';
import type { Deserialize, Serialize } from '@grpc/proto-loader';
import { GrpcMethod } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import type { Complete } from './complete-message';

/** What the server receives: the request as @grpc/proto-loader decodes it. */
type RequestOf<M> = M extends { requestDeserialize: Deserialize<infer R> } ? R : never;
/** What the server answers: the response as @grpc/proto-loader encodes it, with every field set. */
type ResponseOf<M> = M extends { responseSerialize: Serialize<infer R> } ? Complete<R> : never;

type RpcHandler<M> = (
  request: RequestOf<M>,
  metadata: Metadata,
  ...rest: never[]
) => ResponseOf<M> | Promise<ResponseOf<M>> | Observable<ResponseOf<M>>;

/**
 * `@GrpcMethod` bound to a service definition generated from its .proto (generated/): a method
 * name the service does not have, or a handler taking another request or answering another
 * message, does not compile.
 */
export function grpcRpcOf<Definition extends object>(service: string) {
  return <Method extends keyof Definition & string>(method: Method) =>
    <H extends RpcHandler<Definition[Method]>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
      GrpcMethod(service, method)(target, key, descriptor);
    };
}
