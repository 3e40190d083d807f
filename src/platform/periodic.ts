import type { Logger } from 'pino';

/**
 * A job run every `intervalMs` in this process, one pass at a time (the next is scheduled when a pass ends), the
 * timer never keeping the process alive; a failed pass is logged and the job runs again at the next interval.
 * A timer rather than graphile-worker's cron because it must run on PGlite too.
 */
export class Periodic {
  #timer: NodeJS.Timeout | null = null;
  #pass: Promise<unknown> | null = null;

  constructor(
    readonly name: string,
    private readonly job: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(firstAfterMs = this.intervalMs) {
    const schedule = (ms: number) => {
      this.#timer = setTimeout(() => {
        this.#pass = this.job()
          .catch((err) => this.log.error({ err }, `${this.name} pass failed; it runs again at the next interval`))
          .finally(() => {
            this.#pass = null;
            if (this.#timer) schedule(this.intervalMs);
          });
      }, ms);
      this.#timer.unref();
    };
    schedule(firstAfterMs);
  }

  /** One pass now (tests, an admin nudge); not counted against the schedule. */
  runNow(): Promise<unknown> {
    return this.job();
  }

  async stop() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#pass;
  }
}
