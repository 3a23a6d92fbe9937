import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { repoRoot } from '@mailroom/testing';

/**
 * A real @grpc/grpc-js client of the gateway, loading the public contract from
 * libs/contracts/proto the way any other service would.
 */

type Unary = (request: object, metadata: Metadata, callback: (error: ServiceError | null, response: unknown) => void) => void;
type ServerStream = (request: object, metadata: Metadata) => NodeJS.ReadableStream & { cancel(): void };

const definition = loadSync(['mailroom/v1/newsletters.proto', 'grpc/health/v1/health.proto'], {
  includeDirs: [join(repoRoot(), 'libs', 'contracts', 'proto')],
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: false,
  arrays: true,
  oneofs: true,
});
const loaded = loadPackageDefinition(definition) as unknown as {
  mailroom: {
    v1: {
      Newsletters: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client;
      Lists: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client;
    };
  };
  grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } } };
};

/** The status a call ended with, and its trailers, as plain values. */
export interface CallFailure {
  readonly code: string;
  readonly details: string;
  readonly trailers: Record<string, string>;
}

export function bearer(key: string | null, extra: Record<string, string> = {}): Metadata {
  const metadata = new Metadata();
  if (key !== null) metadata.set('authorization', `Bearer ${key}`);
  for (const [name, value] of Object.entries(extra)) metadata.set(name, value);
  return metadata;
}

export class GrpcTestClient {
  private readonly newsletters: Client;
  private readonly lists: Client;
  private readonly health: Client;

  constructor(readonly address: string) {
    this.newsletters = new loaded.mailroom.v1.Newsletters(address, credentials.createInsecure());
    this.lists = new loaded.mailroom.v1.Lists(address, credentials.createInsecure());
    this.health = new loaded.grpc.health.v1.Health(address, credentials.createInsecure());
  }

  /** A unary call of mailroom.v1.Newsletters (`method` as in the .proto, e.g. `SendNewsletter`). */
  call<T = Record<string, unknown>>(method: string, request: object, metadata: Metadata): Promise<T> {
    return unary<T>(this.newsletters, method, request, metadata);
  }

  /** The same call, expected to fail: resolves with its status. */
  async failure(method: string, request: object, metadata: Metadata): Promise<CallFailure> {
    try {
      const response = await this.call(method, request, metadata);
      throw new Error(`${method} succeeded: ${JSON.stringify(response)}`);
    } catch (error) {
      return toFailure(error);
    }
  }

  /** A unary call of mailroom.v1.Lists (`method` as in the .proto, e.g. `ListLists`). */
  callLists<T = Record<string, unknown>>(method: string, request: object, metadata: Metadata): Promise<T> {
    return unary<T>(this.lists, method, request, metadata);
  }

  /** A call of mailroom.v1.Lists expected to fail: resolves with its status. */
  async listsFailure(method: string, request: object, metadata: Metadata): Promise<CallFailure> {
    try {
      const response = await this.callLists(method, request, metadata);
      throw new Error(`${method} succeeded: ${JSON.stringify(response)}`);
    } catch (error) {
      return toFailure(error);
    }
  }

  checkHealth(service: string): Promise<{ status: string }> {
    return unary(this.health, 'Check', { service }, new Metadata());
  }

  /** Every message of a server stream, and how it ended. */
  collect<T = Record<string, unknown>>(
    client: 'newsletters' | 'health',
    method: string,
    request: object,
    metadata: Metadata,
    options: { readonly timeoutMs: number; readonly stopAfter?: number; readonly onMessage?: (message: T) => void },
  ): Promise<{ messages: T[]; end: 'ok' | CallFailure }> {
    const target = client === 'newsletters' ? this.newsletters : this.health;
    const open = (target as unknown as Record<string, ServerStream>)[lowerFirst(method)]!.bind(target);
    const stream = open(request, metadata);
    const messages: T[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stream.cancel();
        reject(new Error(`${method} stream still open after ${options.timeoutMs} ms (${messages.length} messages)`));
      }, options.timeoutMs);
      stream.on('data', (message: T) => {
        messages.push(message);
        options.onMessage?.(message);
        if (options.stopAfter !== undefined && messages.length >= options.stopAfter) {
          clearTimeout(timer);
          stream.cancel();
          resolve({ messages, end: 'ok' });
        }
      });
      stream.on('error', (error: unknown) => {
        clearTimeout(timer);
        const failure = toFailure(error);
        resolve({ messages, end: failure.code === 'CANCELLED' && options.stopAfter !== undefined ? 'ok' : failure });
      });
      stream.on('end', () => {
        clearTimeout(timer);
        resolve({ messages, end: 'ok' });
      });
    });
  }

  close(): void {
    this.newsletters.close();
    this.lists.close();
    this.health.close();
  }
}

function unary<T>(client: Client, method: string, request: object, metadata: Metadata): Promise<T> {
  const fn = (client as unknown as Record<string, Unary>)[lowerFirst(method)];
  if (!fn) throw new Error(`No method ${method}`);
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata, (error, response) => (error ? reject(error) : resolve(response as T)));
  });
}

function toFailure(error: unknown): CallFailure {
  const e = error as Partial<ServiceError>;
  if (typeof e.code !== 'number') throw error;
  const trailers: Record<string, string> = {};
  for (const [key, value] of Object.entries(e.metadata?.getMap() ?? {})) trailers[key] = String(value);
  return { code: status[e.code], details: e.details ?? '', trailers };
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
