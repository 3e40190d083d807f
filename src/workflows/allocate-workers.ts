import type { Worker } from 'node:worker_threads';
import type { AllocationStrategy, Assignment } from '../domain/allocation/allocation.ts';
import type { RoutingProfile } from '../domain/routing/index.ts';
import type { Channel } from '../modules/channels/channels.service.ts';
import type { Location } from '../modules/locations/locations.service.ts';
import type { StrategyEnv } from '../modules/routing/routing.engine.ts';
import { startTsWorker } from '../platform/ts-worker.ts';
import { allocateAll, type BoundStrategy, type OrderAllocation, type OrderDemand, type StockPool, type StockSnapshot } from './allocate.step.ts';

/** One capture batch to allocate, as it crosses to a worker thread (structured clone: plain data only). */
export interface AllocateRequest {
  now: number;
  /** sent when the network changed since this worker's last request */
  locations?: readonly Location[];
  /** sent when the profiles changed since this worker's last request */
  profiles?: readonly RoutingProfile[];
  capacityLeft: Array<[string, number]>;
  stock: StockSnapshot;
  channels: Channel[];
  demands: readonly OrderDemand[];
}

export type AllocateReply =
  | {
      allocations: Array<{ orderId: string; assignments: Assignment[]; decisionJson?: string; hold?: string }>;
      /** the batch's capacity after allocation */
      capacityLeft: Array<[string, number]>;
      error?: undefined;
    }
  | { error: string };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: AllocateReply) => void; reject: (e: Error) => void }>;
  /** what this worker last received (identity), so unchanged lists are not sent again */
  locations: unknown;
  profiles: unknown;
}

/**
 * Routing off the event loop: capture batches are allocated by worker threads running the same allocation
 * step (StockPool + allocateAll + the routing engine), so the server's one JavaScript thread keeps serving
 * HTTP and the database while orders are routed. Workers start on first use; a batch goes to the worker with
 * the fewest batches in hand; a worker that dies fails its batches (the caller routes them on the main thread)
 * and is replaced on next use. The result is the one allocateAll would give on the main thread (tested).
 */
export class AllocateWorkers {
  #slots: Slot[] = [];
  #seq = 0;
  #closed = false;
  /** batches allocated by a worker */
  batches = 0;

  constructor(
    readonly size: number,
    private readonly data: { rateCardPath: string | null },
    /** the worker module (tests substitute one that fails) */
    private readonly entry: URL = new URL('./allocate.worker.ts', import.meta.url),
    /** a batch not answered within this is failed and its worker replaced (a stuck worker never stalls capture) */
    private readonly timeoutMs = 10_000,
  ) {}

  /** Allocates the batch in a worker; env.capacityLeft is updated with what the batch took. */
  async allocate(pool: StockPool, env: StrategyEnv, demands: readonly OrderDemand[], channels: ReadonlyMap<string, Channel>): Promise<Map<string, OrderAllocation>> {
    if (this.#closed) throw new Error('routing workers are closed');
    const slot = this.#pick();
    const req: AllocateRequest = {
      now: env.now.getTime(),
      capacityLeft: [...env.capacityLeft],
      stock: pool.snapshot(),
      channels: [...channels.values()],
      demands,
    };
    if (slot.locations !== env.locations) req.locations = env.locations;
    if (slot.profiles !== env.profiles) req.profiles = env.profiles;
    const reply = await new Promise<AllocateReply>((resolve, reject) => {
      const id = ++this.#seq;
      // a stuck worker is retired at once: its batches fail over to the main thread, the next batch starts a new one
      const timer = setTimeout(() => this.#retire(slot, new Error(`routing worker did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        fn(v);
      };
      slot.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      slot.worker.postMessage({ id, req });
      slot.locations = env.locations;
      slot.profiles = env.profiles;
    });
    if (reply.error !== undefined) throw new Error(`routing worker: ${reply.error}`);
    for (const [id, left] of reply.capacityLeft) env.capacityLeft.set(id, left);
    this.batches++;
    return new Map(reply.allocations.map((a) => [a.orderId, a]));
  }

  #pick(): Slot {
    if (this.#slots.length < this.size) return this.#spawn();
    let best = this.#slots[0]!;
    for (const s of this.#slots) if (s.pending.size < best.pending.size) best = s;
    return best;
  }

  #spawn(): Slot {
    const worker = startTsWorker(this.entry, this.data);
    worker.unref(); // an idle worker never keeps the process alive
    const slot: Slot = { worker, pending: new Map(), locations: undefined, profiles: undefined };
    this.#slots.push(slot);
    worker.on('message', ({ id, reply }: { id: number; reply: AllocateReply }) => {
      const p = slot.pending.get(id);
      slot.pending.delete(id);
      p?.resolve(reply);
    });
    worker.on('error', (err) => this.#retire(slot, err));
    worker.on('exit', (code) => this.#retire(slot, new Error(`routing worker exited with code ${code}`)));
    return slot;
  }

  /** Takes a worker out of service: its batches in hand fail, and it is stopped. */
  #retire(slot: Slot, err: Error): void {
    this.#slots = this.#slots.filter((s) => s !== slot);
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    void slot.worker.terminate();
  }

  /** Stops every worker; batches still in hand fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots;
    this.#slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

/**
 * A capture batch allocator that uses the workers and, should a worker fail (crash, bad reply), allocates the
 * batch on this thread with `strategy` instead: a worker problem never fails a capture.
 */
export function viaWorkers(
  workers: AllocateWorkers,
  env: StrategyEnv,
  strategy: AllocationStrategy,
  onFailure: (err: unknown) => void,
): NonNullable<BoundStrategy['allocateBatch']> {
  return async (pool, demands, channels) => {
    if (demands.length === 0) return new Map(); // every order of the batch was a repeat
    try {
      return await workers.allocate(pool, env, demands, channels);
    } catch (err) {
      onFailure(err);
      return allocateAll(pool, strategy, demands, channels);
    }
  };
}
