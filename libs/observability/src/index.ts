export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { MetricsRegistry } from './metrics/metrics.registry';
export { installGracefulShutdown } from './lifecycle/graceful-shutdown';
export type { Counter, Gauge, Histogram } from 'prom-client';
