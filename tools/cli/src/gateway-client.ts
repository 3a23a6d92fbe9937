import type { NewsletterView } from '@mailroom/contracts';

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
  readonly recipients: ReadonlyArray<{ readonly email: string; readonly name?: string }>;
  readonly batchSize?: number;
  readonly ratePerSecond?: number;
  readonly webhookUrl?: string;
}

/** The few gateway calls the CLI makes, over HTTP with the API key. */
export class GatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  send(request: SendRequest, idempotencyKey?: string): Promise<{ id: string; status: string }> {
    return this.call('POST', '/v1/newsletters', request, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  get(id: string): Promise<NewsletterView> {
    return this.call('GET', `/v1/newsletters/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new GatewayError(0, `Cannot reach the gateway at ${this.baseUrl}: ${(error as Error).message}`);
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const problem = (parsed ?? {}) as { message?: string; field?: string };
      throw new GatewayError(response.status, problem.message ?? `HTTP ${response.status}`, problem.field);
    }
    return parsed as T;
  }
}
