import { Injectable } from '@nestjs/common';
import { batchWindowsSubject, parseBatchWindowsSignal, type BatchWindowsSignal } from '@mailroom/contracts';
import { JetStreamConnection } from '../connection/jetstream-connection';

const decoder = new TextDecoder();

/**
 * The dispatcher's batch windows, told to the senders over core NATS (see BatchWindowsSignal):
 * the one place that publishes and subscribes to `<ns>.signal.batch-windows`.
 */
@Injectable()
export class BatchWindowSignals {
  constructor(private readonly nats: JetStreamConnection) {}

  /** Fire and forget: a signal nobody hears is sent again at the next look. */
  publish(signal: BatchWindowsSignal): void {
    this.nats.connection.publish(batchWindowsSubject(this.nats.topology), JSON.stringify(signal));
  }

  /** Calls `listener` with every signal (malformed ones are skipped); returns the unsubscribe. */
  onSignal(listener: (signal: BatchWindowsSignal) => void): () => void {
    const sub = this.nats.connection.subscribe(batchWindowsSubject(this.nats.topology), {
      callback: (_error, msg) => {
        const signal = parseBatchWindowsSignal(decoder.decode(msg.data));
        if (signal) listener(signal);
      },
    });
    return () => sub.unsubscribe();
  }
}
