import type { Logger } from 'pino';
import type { OrderService } from '../modules/orders/order.service.ts';
import { Periodic } from '../platform/periodic.ts';

export interface HousekeepingDeps {
  orders: OrderService;
  log: Logger;
  /** Idempotency-Keys older than this are deleted */
  idempotencyTtlMs: number;
  /** between passes (default 15 min); the first pass runs a minute after start */
  intervalMs?: number;
  clock?: () => Date;
}

/**
 * Periodic clean-up of what the system keeps only for a while (today: expired Idempotency-Keys). Every step is
 * an idempotent delete by age, so any number of processes sharing a database may run it at once.
 */
export class Housekeeping {
  readonly #clock: () => Date;
  readonly #periodic: Periodic;

  constructor(private readonly deps: HousekeepingDeps) {
    this.#clock = deps.clock ?? (() => new Date());
    this.#periodic = new Periodic('housekeeping', () => this.runOnce(), deps.intervalMs ?? 15 * 60_000, deps.log);
  }

  /** The first pass runs a minute after start by default. */
  start(firstAfterMs = 60_000) {
    this.#periodic.start(firstAfterMs);
  }

  /** One pass now: what each step removed. */
  async runOnce(): Promise<{ idempotencyKeysExpired: number }> {
    const before = new Date(this.#clock().getTime() - this.deps.idempotencyTtlMs);
    const idempotencyKeysExpired = await this.deps.orders.expireIdempotencyKeys(before);
    if (idempotencyKeysExpired > 0) this.deps.log.info({ idempotencyKeysExpired }, 'expired Idempotency-Keys deleted');
    return { idempotencyKeysExpired };
  }

  stop() {
    return this.#periodic.stop();
  }
}
