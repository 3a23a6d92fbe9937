import { Logger } from '@nestjs/common';
import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';
import {
  EventCatalog,
  Queries,
  eventOfSubject,
  querySubject,
  type EventName,
  type QueryName,
  type Topology,
} from '@mailroom/contracts';
import type { JetStreamConnection } from '../connection/jetstream-connection';
import type { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher';
import { ensureDurableConsumer } from '../provisioning/ensure-consumer';
import { retryTransient } from '../resilience/retry-transient';
import { settleConfirmed, type AckOrNak } from './confirmed-settlement';
import { decodePayload } from './decode-payload';
import { JetStreamContext } from './jetstream.context';
import { settleFailure, type RetryPolicy, type Settlement } from './retry-policy';
import { Slots } from './slots';

export interface ConsumerBinding {
  readonly stream: keyof Topology['streams'];
  /** Durable consumer name, from the topology. */
  readonly durable: string;
  readonly filterSubject?: string;
  /** Messages handled at once by this process. */
  readonly concurrency: number;
  readonly ackWaitMs: number;
  /**
   * Unacknowledged messages across all replicas together; default none (-1). Each process pulls
   * only as many messages as it has free slots (`concurrency`), so R replicas hold R × concurrency.
   */
  readonly maxAckPending?: number;
  readonly retry: RetryPolicy;
  /** Events of the stream that this service has no handler for are acked and skipped. */
  readonly ignoreUnhandled?: boolean;
  /**
   * The events this consumer dispatches (default: every event of its stream that has a handler).
   * Lets two consumers of one stream in one process split the handlers between them; anything
   * else is acked and skipped.
   */
  readonly events?: readonly EventName[];
  /**
   * Decides from the subject alone whether this consumer wants a message at all: one it does not
   * want is acknowledged before its payload is read or validated (a consumer that skips most of
   * what it receives). A provider of the app, resolved at start; a rejection is a transient failure.
   */
  readonly gate?: abstract new (...args: never[]) => MessageGate;
  /**
   * Wait for the server to confirm each ack (default true). False: a plain ack, no round trip
   * (about half the cost of a skipped message); a lost one is a redelivery after the ack wait.
   */
  readonly confirmAcks?: boolean;
}

/** See ConsumerBinding.gate. */
export interface MessageGate {
  wants(subject: string): boolean | Promise<boolean>;
}

export interface SettledMessage {
  /** The durable consumer that delivered it. */
  readonly consumer: string;
  readonly event: EventName | undefined;
  readonly settlement: Settlement['kind'];
  readonly durationMs: number;
  readonly deliveryCount: number;
}

export interface JetStreamServerOptions {
  readonly client: JetStreamConnection;
  readonly consumers: readonly ConsumerBinding[];
  /** Queue group for query handlers (`@AnswersQuery`); replicas share the load. */
  readonly queryQueueGroup?: string;
  readonly shutdownTimeoutMs: number;
  /** Observability hook, called once per settled message. */
  readonly onSettled?: (settled: SettledMessage) => void;
  /** Where terminated messages go, with why. Without it they are only logged. */
  readonly deadLetters?: DeadLetterPublisher;
  /** How long binding the consumers may keep retrying while JetStream is not ready (BOOT_TIMEOUT_MS). */
  readonly bootBudgetMs: number;
  /** Resolves a binding's `gate` from the app (connectJetStreamTransport passes the app's `get`). */
  readonly resolve?: <T>(token: abstract new (...args: never[]) => T) => T;
}

/**
 * A pull request lasts this long. Short, because a pull request sent to a consumer leader that
 * dies is lost without an answer: the client notices by two missed heartbeats (half of this
 * each), and only then pulls again from the newly elected leader.
 */
const FETCH_EXPIRES_MS = 2_000;
/** Default shared cap on unacknowledged messages: none (see DurableConsumerSpec.maxAckPending). */
const NO_SHARED_ACK_CAP = -1;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * A NestJS transport over JetStream pull consumers. `@HandlesEvent(Events.X)` handlers receive the
 * validated payload; return = ack, `RetryableError` (or any unexpected error) = nak with backoff,
 * `PermanentError` or an invalid payload = term. `@AnswersQuery(Queries.X)` handlers answer core
 * NATS requests. The loop only pulls as many messages as it has free slots, so nothing waits in a
 * local buffer while its ack deadline runs.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger('JetStreamServer');
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly inFlight = new Set<JsMsg>();
  /** Acks sent and not yet confirmed (awaited on shutdown, never by a processing slot). */
  private readonly acks = new Set<Promise<void>>();
  private readonly slots = new Map<string, Slots>();
  private readonly subscriptions: Subscription[] = [];
  private readonly gates = new Map<string, MessageGate>();

  constructor(private readonly options: JetStreamServerOptions) {
    super();
  }

  private get topology(): Topology {
    return this.options.client.topology;
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.options.client.beginShutdown();
    for (const sub of this.subscriptions) sub.unsubscribe();
    // A loop waiting for a free slot stops waiting. Open pulls are not cut short: the server would
    // still deliver to them (a pull cannot be withdrawn) and a message sent to a closed inbox stays
    // unacknowledged for its whole ack wait. They run out within FETCH_EXPIRES_MS; what arrives
    // meanwhile is handed back (pullLoop).
    for (const slots of this.slots.values()) slots.close();
    const idle = Promise.all([...this.slots.values()].map((s) => s.whenIdle()));
    const timedOut = await Promise.race([
      idle.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.shutdownTimeoutMs).unref()),
    ]);
    if (timedOut) {
      // Hand the unfinished messages back now rather than after their ack wait; delayed past the
      // expiry of this process's open pulls, so that they go to another process.
      this.logger.warn(`Shutdown timeout: handing back ${this.inFlight.size} message(s)`);
      for (const msg of this.inFlight) msg.nak(FETCH_EXPIRES_MS);
    }
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.acks]);
  }

  on(): never {
    throw new Error('JetStreamServer does not emit events');
  }

  unwrap<T>(): T {
    return this.options.client.connection as T;
  }

  private async start(): Promise<void> {
    this.options.client.setConsumersBound(false);
    this.verifyHandlers();
    for (const binding of this.options.consumers) {
      if (binding.gate) {
        if (!this.options.resolve) throw new Error(`Consumer ${binding.durable} has a gate but the transport cannot resolve providers`);
        this.gates.set(binding.durable, this.options.resolve(binding.gate));
      }
      const consumer = await this.bind(binding);
      const slots = new Slots(binding.concurrency);
      this.slots.set(binding.durable, slots);
      this.loops.push(this.pullLoop(binding, consumer, slots));
    }
    this.subscribeQueries();
    this.options.client.setConsumersBound(true);
    this.logger.log(
      `Listening: ${this.options.consumers.map((b) => b.durable).join(', ') || 'no consumers'}` +
        `${this.subscriptions.length ? ` + ${this.subscriptions.length} query subject(s)` : ''}`,
    );
  }

  /** Fails the boot when a handler is for something no consumer of this process receives. */
  private verifyHandlers(): void {
    const bound = new Set(this.options.consumers.map((b) => b.stream));
    for (const pattern of this.messageHandlers.keys()) {
      if (pattern in EventCatalog) {
        const stream = EventCatalog[pattern as EventName].stream;
        if (!bound.has(stream)) {
          throw new Error(`Handler for "${pattern}" but no consumer is bound to the ${stream} stream`);
        }
      } else if (!(Object.values(Queries) as string[]).includes(pattern)) {
        throw new Error(`Handler pattern "${pattern}" is neither a known event nor a known query`);
      }
    }
    for (const binding of this.options.consumers) {
      const handled = [...this.messageHandlers.keys()].filter(
        (p) => p in EventCatalog && EventCatalog[p as EventName].stream === binding.stream,
      );
      if (handled.length === 0) throw new Error(`Consumer ${binding.durable} is bound but no handler takes its events`);
      const missing = (binding.events ?? []).filter((event) => !handled.includes(event));
      if (missing.length > 0) throw new Error(`Consumer ${binding.durable} lists ${missing.join(', ')} but no handler takes them`);
    }
  }

  private async bind(binding: ConsumerBinding): Promise<Consumer> {
    const stream = this.topology.streams[binding.stream];
    const ensure = {
      budgetMs: this.options.bootBudgetMs,
      onRetry: (error: unknown, attempt: number) =>
        this.logger.warn(`Binding ${binding.durable}: JetStream not ready (${(error as Error).message}); retry ${attempt}`),
    };
    await ensureDurableConsumer(
      this.options.client.jsm,
      {
        stream,
        durable: binding.durable,
        filterSubject: binding.filterSubject,
        ackWaitMs: binding.ackWaitMs,
        maxDeliver: binding.retry.maxDeliver,
        maxAckPending: binding.maxAckPending ?? NO_SHARED_ACK_CAP,
      },
      ensure,
    );
    return retryTransient(() => this.options.client.js.consumers.get(stream, binding.durable), ensure);
  }

  private async pullLoop(binding: ConsumerBinding, initial: Consumer, slots: Slots): Promise<void> {
    let consumer = initial;
    let failures = 0;
    while (!this.stopping) {
      await slots.whenFree();
      if (this.stopping) break;
      try {
        const messages = await consumer.fetch({ max_messages: slots.free, expires: FETCH_EXPIRES_MS });
        for await (const msg of messages) {
          if (this.stopping) {
            // Delayed past this pull's expiry, so that it goes to another process, not back here.
            msg.nak(FETCH_EXPIRES_MS);
            continue;
          }
          slots.take();
          void this.handle(binding, msg).finally(() => slots.release());
        }
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.logger.warn(`Pull from ${binding.durable} failed (${failures}): ${(error as Error).message}`);
        // Quick at first: after a leader loss the next pull is answered as soon as a new leader
        // is elected. Pulling again costs one small request.
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** Math.min(failures, 6))));
        // Only a consumer that is gone (NATS restarted without its store) needs binding again;
        // anything else (a lost pull, a leader election) is over by the next pull.
        if (isMissingConsumer(error)) consumer = await this.bind(binding).catch(() => consumer);
      }
    }
  }

  private async handle(binding: ConsumerBinding, msg: JsMsg): Promise<void> {
    const started = performance.now();
    const event = eventOfSubject(this.topology, msg.subject);
    const dispatched = event !== undefined && (binding.events === undefined || binding.events.includes(event));
    const handler = event && dispatched ? this.getHandlerByPattern(event) : null;
    const report = (settlement: Settlement['kind']) =>
      this.options.onSettled?.({
        consumer: binding.durable,
        event,
        settlement,
        durationMs: performance.now() - started,
        deliveryCount: msg.info.deliveryCount,
      });

    if (!event || !handler) {
      if (binding.ignoreUnhandled || (event !== undefined && !dispatched)) {
        msg.ack();
        return;
      }
      report(await this.terminate(msg, `no handler for subject ${msg.subject}`));
      return;
    }

    this.inFlight.add(msg);
    const keepAlive = setInterval(() => msg.working(), Math.max(1_000, binding.ackWaitMs / 3));
    try {
      const gate = this.gates.get(binding.durable);
      if (gate && !(await gate.wants(msg.subject))) {
        clearInterval(keepAlive);
        this.settleAck(binding, msg);
        report('ack');
        return;
      }
      const payload = decodePayload(event, msg.data);
      await this.invoke(handler, payload, new JetStreamContext([msg, event, binding.retry.maxDeliver]));
      clearInterval(keepAlive);
      this.settleAck(binding, msg);
      report('ack');
    } catch (error) {
      clearInterval(keepAlive);
      const settlement = settleFailure(error, msg.info.deliveryCount, binding.retry);
      this.logFailure(event, msg, error, settlement);
      if (settlement.kind === 'nak') {
        this.confirm(binding, msg, settlement);
        report('nak');
      } else if (settlement.kind === 'term') {
        report(await this.terminate(msg, settlement.reason));
      }
    } finally {
      clearInterval(keepAlive);
      this.inFlight.delete(msg);
    }
  }

  private settleAck(binding: ConsumerBinding, msg: JsMsg): void {
    if (binding.confirmAcks === false) {
      msg.ack();
      return;
    }
    this.confirm(binding, msg, { kind: 'ack' });
  }

  /**
   * Acks or naks and has the consumer leader confirm it, retrying through a leader election (see
   * settleConfirmed). The slot is free at once: waiting here would hold it for as long as the
   * consumer has no leader. Given up halfway through the ack wait (the last keep-alive was at most
   * a third of it ago), well before the server could hand the message out again; a lost ack then
   * means a redelivery, which handlers tolerate.
   */
  private confirm(binding: ConsumerBinding, msg: JsMsg, settlement: AckOrNak): void {
    const settled = settleConfirmed(this.options.client.connection, msg, settlement, {
      deadline: Date.now() + binding.ackWaitMs / 2,
      stopping: () => this.stopping,
    }).then((result) => {
      if (!result.confirmed) this.logger.warn(`${settlement.kind === 'ack' ? 'Ack' : 'Nak'} of ${msg.subject} #${msg.seq} not confirmed after ${result.attempts} attempt(s): ${result.error.message}`);
      else if (result.attempts > 1) this.logger.log(`${settlement.kind === 'ack' ? 'Ack' : 'Nak'} of ${msg.subject} #${msg.seq} confirmed at attempt ${result.attempts}`);
    });
    this.acks.add(settled);
    void settled.finally(() => this.acks.delete(settled));
  }

  private async invoke(handler: MessageHandler, payload: unknown, context: BaseRpcContext): Promise<unknown> {
    const result: unknown = await handler(payload, context);
    return lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  /** Dead-letters, then terminates. If the dead letter cannot be stored, the message is handed back instead of lost. */
  private async terminate(msg: JsMsg, reason: string): Promise<Settlement['kind']> {
    try {
      await this.options.deadLetters?.fromDelivery(msg, reason);
    } catch (error) {
      this.logger.error({ subject: msg.subject, seq: msg.seq, error: (error as Error).message }, 'Dead letter not stored; retrying later');
      msg.nak(5_000);
      return 'nak';
    }
    // term(reason) is ignored by nats-server 2.9.10 (the message comes back): always bare.
    msg.term();
    return 'term';
  }

  private logFailure(event: EventName, msg: JsMsg, error: unknown, settlement: Settlement): void {
    const context = {
      event,
      stream: msg.info.stream,
      seq: msg.seq,
      deliveryCount: msg.info.deliveryCount,
      settlement: settlement.kind,
      ...(settlement.kind === 'nak' ? { retryInMs: settlement.delayMs } : {}),
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    };
    if (settlement.kind === 'term') this.logger.error(context, 'Message terminated');
    else this.logger.warn(context, 'Message will be retried');
  }

  private subscribeQueries(): void {
    const queries = [...this.messageHandlers.keys()].filter((p) =>
      (Object.values(Queries) as string[]).includes(p),
    ) as QueryName[];
    for (const query of queries) {
      const handler = this.getHandlerByPattern(query)!;
      const sub = this.options.client.connection.subscribe(querySubject(this.topology, query), {
        queue: this.options.queryQueueGroup ?? `${this.topology.namespace}-${query}`,
        callback: (error, msg) => {
          if (!error) void this.answer(handler, msg);
        },
      });
      this.subscriptions.push(sub);
    }
  }

  private async answer(handler: MessageHandler, msg: Msg): Promise<void> {
    let reply: unknown;
    try {
      const request: unknown = JSON.parse(decoder.decode(msg.data));
      reply = { ok: true, result: await this.invoke(handler, request, new JetStreamQueryContext([msg])) };
    } catch (error) {
      this.logger.error({ subject: msg.subject, error: (error as Error).message }, 'Query failed');
      reply = { ok: false, error: (error as Error).message };
    }
    msg.respond(encoder.encode(JSON.stringify(reply)));
  }
}

/** Context of a query handler (`@Ctx()` in an `@AnswersQuery` handler). */
class JetStreamQueryContext extends BaseRpcContext<[Msg]> {
  get subject(): string {
    return this.args[0].subject;
  }
}

/** A pull failed because the consumer (or its stream) no longer exists, rather than for a passing reason. */
function isMissingConsumer(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConsumerNotFoundError' || error.name === 'StreamNotFoundError') return true;
  return /consumer (is )?(deleted|not found)|stream (deleted|not found)/i.test(error.message);
}
