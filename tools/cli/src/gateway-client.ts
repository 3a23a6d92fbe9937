import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { NewsletterView, Recipient } from '@mailroom/contracts';

/** An answer of the gateway that is not a success, with its `{ error, message, field? }` body. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface SendRequest {
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  readonly from?: string;
  readonly recipients?: readonly Recipient[];
  readonly listId?: string;
  readonly batchSize?: number;
  readonly ratePerSecond?: number;
  readonly webhookUrl?: string;
  readonly sendAt?: string;
  /** high, normal or low; checked by the gateway (400 naming `priority`). */
  readonly priority?: string;
}

export interface Accepted {
  readonly id: string;
  readonly status: string;
  readonly skipped?: ReadonlyArray<{ readonly email: string; readonly list: string }>;
}

export type ControlAction = 'pause' | 'resume' | 'cancel';

/** The gateway calls the CLI makes, over HTTP with the API key. */
export class GatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  send(request: SendRequest, idempotencyKey?: string): Promise<Accepted> {
    return this.call('POST', '/v1/newsletters', request, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  sendTest(request: SendRequest): Promise<Accepted> {
    return this.call('POST', '/v1/newsletters/test', request);
  }

  get(id: string): Promise<NewsletterView> {
    return this.call('GET', `/v1/newsletters/${encodeURIComponent(id)}`);
  }

  control(id: string, action: ControlAction): Promise<Accepted> {
    return this.call('POST', `/v1/newsletters/${encodeURIComponent(id)}/${action}`);
  }

  listLists(query: { limit?: number; cursor?: string }): Promise<unknown> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    const search = params.size > 0 ? `?${params.toString()}` : '';
    return this.call('GET', `/v1/lists${search}`);
  }

  createList(name: string): Promise<{ id: string }> {
    return this.call('POST', '/v1/lists', { name });
  }

  getList(id: string): Promise<unknown> {
    return this.call('GET', `/v1/lists/${encodeURIComponent(id)}`);
  }

  /** Streams a CSV or NDJSON file into a list (never read into memory whole). */
  importFile(listId: string, path: string): Promise<unknown> {
    const contentType = /\.(ndjson|jsonl)$/i.test(path) ? 'application/x-ndjson' : 'text/csv';
    const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
    return this.call('POST', `/v1/lists/${encodeURIComponent(listId)}/subscribers`, undefined, {
      'content-type': contentType,
      'content-length': String(statSync(path).size),
    }, body);
  }

  private async call<T>(method: string, path: string, json?: unknown, headers: Record<string, string> = {}, stream?: ReadableStream<Uint8Array>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: stream ?? (json !== undefined ? JSON.stringify(json) : undefined),
        ...(stream ? { duplex: 'half' } : {}),
      });
    } catch (error) {
      throw new GatewayError(0, `Cannot reach the gateway at ${this.baseUrl}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const problem = (parsed ?? {}) as { message?: string; field?: string };
      throw new GatewayError(response.status, problem.message ?? `HTTP ${response.status}`, problem.field);
    }
    return parsed as T;
  }
}
