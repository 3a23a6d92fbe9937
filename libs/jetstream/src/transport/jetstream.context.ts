import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import type { EventName } from '@mailroom/contracts';

type ContextArgs = [message: JsMsg, event: EventName, maxDeliver: number];

/** What a handler may know about the message it is handling (`@Ctx() ctx: JetStreamContext`). */
export class JetStreamContext extends BaseRpcContext<ContextArgs> {
  get message(): JsMsg {
    return this.args[0];
  }

  get event(): EventName {
    return this.args[1];
  }

  get subject(): string {
    return this.args[0].subject;
  }

  /** 1 on the first delivery. */
  get deliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  /** True when a failure now will not be redelivered. */
  get isLastDelivery(): boolean {
    return this.deliveryCount >= this.args[2];
  }

  /** Extends the ack deadline; the transport also does this on a timer while the handler runs. */
  working(): void {
    this.args[0].working();
  }
}
