import type { Logger } from 'pino';
import type { OrderService } from '../modules/orders/order.service.ts';

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
 * an idempotent delete by age, so any number of processes sharing a database may run it at once. Written with
 * a timer rather than graphile-worker's cron because it must run on PGlite too.
 */
export class Housekeeping {
  #timer: NodeJS.Timeout | null = null;
  #pass: Promise<unknown> | null = null;
  readonly #clock: () => Date;

  constructor(private readonly deps: HousekeepingDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  start(firstAfterMs = 60_000) {
    const schedule = (ms: number) => {
      this.#timer = setTimeout(() => {
        this.#pass = this.runOnce()
          .catch((err) => this.deps.log.error({ err }, 'housekeeping pass failed; it runs again at the next interval'))
          .finally(() => {
            this.#pass = null;
            if (this.#timer) schedule(this.deps.intervalMs ?? 15 * 60_000);
          });
      }, ms);
      this.#timer.unref(); // never keeps the process alive on its own
    };
    schedule(firstAfterMs);
  }

  /** One pass now: what each step removed. */
  async runOnce(): Promise<{ idempotencyKeysExpired: number }> {
    const before = new Date(this.#clock().getTime() - this.deps.idempotencyTtlMs);
    const idempotencyKeysExpired = await this.deps.orders.expireIdempotencyKeys(before);
    if (idempotencyKeysExpired > 0) this.deps.log.info({ idempotencyKeysExpired }, 'expired Idempotency-Keys deleted');
    return { idempotencyKeysExpired };
  }

  async stop() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#pass;
  }
}
