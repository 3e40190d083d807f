import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per app instance (tests run several in a process). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'switchyard_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly captures = new Counter({
    name: 'switchyard_orders_captured_total',
    help: 'Order captures by channel and result (created, repeat, rejected)',
    labelNames: ['channel', 'result'],
    registers: [this.registry],
  });
  readonly captureDuration = new Histogram({
    name: 'switchyard_capture_duration_seconds',
    help: 'Order capture latency, queueing included',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly held = new Counter({
    name: 'switchyard_orders_held_at_capture_total',
    help: 'Orders captured straight onto hold, by channel (a hold rule, a back-order not allowed, a routing profile)',
    labelNames: ['channel'],
    registers: [this.registry],
  });
  readonly rerouted = new Counter({
    name: 'switchyard_orders_rerouted_total',
    help: 'Orders whose reservations moved after capture, by why: rejection, evacuation, assignment, reoptimisation',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
