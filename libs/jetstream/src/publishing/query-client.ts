import { errors, type NatsConnection } from '@nats-io/transport-node';
import { querySubject, type QueryName, type QueryReply, type QueryRequest, type Topology } from '@mailroom/contracts';

/** Nobody answered in time: the service that owns the query is down or overloaded. */
export class QueryUnavailableError extends Error {
  override readonly name = 'QueryUnavailableError';
}

/** The service answered with an error. */
export class QueryFailedError extends Error {
  override readonly name = 'QueryFailedError';
}

type Reply<T> = { ok: true; result: T } | { ok: false; error: string };

/** Asks another service a question over core NATS request/reply. */
export class QueryClient {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly connection: NatsConnection,
    private readonly topology: Topology,
  ) {}

  /** The reply type is the query's (QueryReply in @mailroom/contracts), checked at compile time like the request. */
  async ask<Q extends QueryName>(query: Q, request: QueryRequest<Q>, timeoutMs = 3_000): Promise<QueryReply<Q>> {
    let reply: Reply<QueryReply<Q>>;
    try {
      const msg = await this.connection.request(
        querySubject(this.topology, query),
        this.encoder.encode(JSON.stringify(request)),
        { timeout: timeoutMs },
      );
      reply = msg.json<Reply<QueryReply<Q>>>();
    } catch (error) {
      if (error instanceof errors.NoRespondersError || error instanceof errors.TimeoutError) {
        throw new QueryUnavailableError(`No answer to ${query} within ${timeoutMs} ms`, { cause: error });
      }
      if (error instanceof errors.RequestError) {
        throw new QueryUnavailableError(`No answer to ${query}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    if (!reply.ok) throw new QueryFailedError(`${query} failed: ${reply.error}`);
    return reply.result;
  }
}
