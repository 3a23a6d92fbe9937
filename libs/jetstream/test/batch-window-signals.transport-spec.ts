import { connect, type NatsConnection } from '@nats-io/transport-node';
import { batchWindowsSubject, topology, type BatchWindowsSignal } from '@mailroom/contracts';
import { BatchWindowSignals } from '@mailroom/jetstream';
import type { JetStreamConnection } from '../src/connection/jetstream-connection';
import { TEST_NATS_URL, uniqueNamespace, waitFor } from '@mailroom/testing';

jest.setTimeout(30_000);

describe('BatchWindowSignals (real NATS)', () => {
  // Core NATS only: no stream or bucket is created, so there is nothing to delete afterwards.
  const t = topology(uniqueNamespace('windows'));
  let dispatcherSide: NatsConnection;
  let senderSide: NatsConnection;

  beforeAll(async () => {
    [dispatcherSide, senderSide] = await Promise.all([connect({ servers: TEST_NATS_URL }), connect({ servers: TEST_NATS_URL })]);
  });

  afterAll(async () => {
    await Promise.all([dispatcherSide?.close(), senderSide?.close()]);
  });

  const signalsOver = (nc: NatsConnection) => new BatchWindowSignals({ connection: nc, topology: t } as unknown as JetStreamConnection);

  it('a sender hears the dispatcher’s windows; a malformed message on the subject is skipped', async () => {
    const heard: BatchWindowsSignal[] = [];
    const stop = signalsOver(senderSide).onSignal((signal) => heard.push(signal));
    await senderSide.flush();
    // Something that is not a signal first, then two signals: only those arrive, in order.
    dispatcherSide.publish(batchWindowsSubject(t), 'not json');
    signalsOver(dispatcherSide).publish({ slots: 8, windows: { a: 4, b: 4 } });
    signalsOver(dispatcherSide).publish({ slots: 12, windows: { a: 5 } });
    await dispatcherSide.flush();
    await waitFor(() => heard.length, (n) => n >= 2, { timeoutMs: 5_000, intervalMs: 10, description: 'two signals heard' });
    expect(heard).toEqual([
      { slots: 8, windows: { a: 4, b: 4 } },
      { slots: 12, windows: { a: 5 } },
    ]);
    stop();
    signalsOver(dispatcherSide).publish({ slots: 8, windows: { a: 1 } });
    await dispatcherSide.flush();
    await senderSide.flush();
    expect(heard).toHaveLength(2);
  });

  it('signals of another namespace are not heard', async () => {
    const other = topology(uniqueNamespace('windows-other'));
    const heard: BatchWindowsSignal[] = [];
    const stop = signalsOver(senderSide).onSignal((signal) => heard.push(signal));
    await senderSide.flush();
    new BatchWindowSignals({ connection: dispatcherSide, topology: other } as unknown as JetStreamConnection).publish({ slots: 8, windows: { x: 4 } });
    signalsOver(dispatcherSide).publish({ slots: 8, windows: { mine: 4 } });
    await dispatcherSide.flush();
    await waitFor(() => heard.length, (n) => n >= 1, { timeoutMs: 5_000, intervalMs: 10, description: 'a signal heard' });
    await senderSide.flush();
    expect(heard).toEqual([{ slots: 8, windows: { mine: 4 } }]);
    stop();
  });
});
