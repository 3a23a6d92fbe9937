import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { BatchReadyEvent, Events } from '@mailroom/contracts';
import { HandlesEvent, JetStreamContext } from '@mailroom/jetstream';
import { BatchSender } from './batch-sender.service';

@Controller()
export class BatchHandler {
  constructor(private readonly sender: BatchSender) {}

  @HandlesEvent(Events.BatchReady)
  async onBatch(@Payload() batch: BatchReadyEvent, @Ctx() context: JetStreamContext): Promise<void> {
    await this.sender.deliver(batch, context.deliveryCount);
  }
}
