import type { MetricsRegistry } from '@mailroom/observability';
import type { SettledMessage } from './jetstream.server';

/**
 * Every message a service's transport settled, by consumer, event and outcome (ack, nak, term),
 * and how long its handler took: the same numbers for every service.
 */
export function transportMetrics(metrics: MetricsRegistry, namespace: string): (settled: SettledMessage) => void {
  const handled = metrics.counter({
    name: 'mailroom_messages_handled_total',
    help: 'Messages settled by the JetStream transport, by consumer, event and settlement (ack, nak, term)',
    labelNames: ['consumer', 'event', 'settlement'],
  });
  const seconds = metrics.histogram({
    name: 'mailroom_message_handling_seconds',
    help: 'Time from delivery to settlement of a message, by event',
    labelNames: ['event'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  });
  return (settled) => {
    const event = settled.event ?? 'unknown';
    handled.inc({ consumer: settled.consumer.slice(namespace.length + 1), event, settlement: settled.settlement });
    seconds.observe({ event }, settled.durationMs / 1000);
  };
}
