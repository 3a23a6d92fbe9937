import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BatchReadyEvent, Events } from '@mailroom/contracts';
import { BatchSender } from './batch-sender.service';

@Controller()
export class BatchHandler {
  constructor(private readonly sender: BatchSender) {}

  @EventPattern(Events.BatchReady)
  async onBatch(@Payload() batch: BatchReadyEvent): Promise<void> {
    await this.sender.deliver(batch);
  }
}
