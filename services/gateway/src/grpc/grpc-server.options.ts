import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import type { GatewayConfig } from '../config/gateway.config';

/** Proto files, relative to the proto root (libs/contracts/proto, copied next to main.js by the build). */
export const PROTO_FILES = ['mailroom/v1/newsletters.proto', 'grpc/health/v1/health.proto'] as const;
export const GRPC_PACKAGES = ['mailroom.v1', 'grpc.health.v1'] as const;

/** Where the build put the .proto files (webpack.config.js copies them to `proto/` beside main.js). */
export function protoRoot(dir: string = __dirname): string {
  const root = join(dir, 'proto');
  const missing = PROTO_FILES.filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) {
    throw new Error(`gRPC contract not found: ${missing.map((f) => join(root, f)).join(', ')} (is the build's asset copy in place?)`);
  }
  return root;
}

/**
 * How @grpc/proto-loader hands messages over: camelCase fields, enums by name, 64-bit numbers as
 * numbers, unset fields absent but repeated ones always an array. The types in generated/ are
 * generated with the same options (the gateway's `grpc-types` target; test/grpc-types.system-spec.ts checks).
 */
export const PROTO_LOADER_OPTIONS = { keepCase: false, longs: Number, enums: String, defaults: false, arrays: true, oneofs: true } as const;

/**
 * The gRPC server of the hybrid app, loading the contract with PROTO_LOADER_OPTIONS. Messages are
 * capped like HTTP bodies, at MAX_BODY_BYTES. `gracefulShutdown`: in-flight unary calls finish
 * (watches are ended first by NewsletterWatches), bounded by the process's shutdown deadline.
 */
export function grpcServerOptions(config: GatewayConfig, root = protoRoot()): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      url: `0.0.0.0:${config.grpcPort}`,
      package: [...GRPC_PACKAGES],
      protoPath: [...PROTO_FILES],
      loader: { includeDirs: [root], ...PROTO_LOADER_OPTIONS },
      maxReceiveMessageLength: config.maxBodyBytes,
      gracefulShutdown: true,
    },
  };
}
