import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { EventName, EventPayload, QueryName, QueryReply, QueryRequest } from '@mailroom/contracts';

/**
 * `@EventPattern(event)` that only fits a handler whose first parameter takes the event's payload
 * class (EventCatalog): a handler wired to the wrong event does not compile. The transport still
 * validates every message against that class before the handler runs.
 */
export function HandlesEvent<E extends EventName>(event: E) {
  return <H extends (payload: EventPayload<E>, ...rest: never[]) => unknown>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => {
    EventPattern(event)(target, key, descriptor);
  };
}

/** `@MessagePattern(query)` that only fits a handler taking the query's request and answering its reply. */
export function AnswersQuery<Q extends QueryName>(query: Q) {
  return <H extends (request: QueryRequest<Q>, ...rest: never[]) => QueryReply<Q> | Promise<QueryReply<Q>>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => {
    MessagePattern(query)(target, key, descriptor);
  };
}
