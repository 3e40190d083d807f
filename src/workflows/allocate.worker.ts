/**
 * Worker thread (see AllocateWorkers): allocates capture batches with its own routing engine and caches, off
 * the server's event loop. Same code as on the main thread: StockPool, allocateAll and RoutingEngine.strategy.
 * The network and the profiles arrive only when they change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RoutingProfile } from '../domain/routing/index.ts';
import type { Location } from '../modules/locations/locations.service.ts';
import { RoutingEngine } from '../modules/routing/routing.engine.ts';
import { loadRoutingReference } from '../modules/routing/routing.reference.ts';
import { allocateAll, StockPool } from './allocate.step.ts';
import type { AllocateReply, AllocateRequest } from './allocate-workers.ts';

const port = parentPort!;
const engine = new RoutingEngine(loadRoutingReference((workerData as { data: { rateCardPath: string | null } }).data.rateCardPath));
let locations: readonly Location[] = [];
let profiles: readonly RoutingProfile[] = [];

port.on('message', ({ id, req }: { id: number; req: AllocateRequest }) => {
  let reply: AllocateReply;
  try {
    if (req.locations) locations = req.locations;
    if (req.profiles) profiles = req.profiles;
    const env = { locations, now: new Date(req.now), capacityLeft: new Map(req.capacityLeft), profiles };
    const result = allocateAll(StockPool.fromSnapshot(req.stock, locations), engine.strategy(env), req.demands, new Map(req.channels.map((c) => [c.id, c])));
    const allocations: Extract<AllocateReply, { allocations: unknown }>['allocations'] = [];
    for (const [orderId, a] of result) {
      allocations.push({
        orderId,
        assignments: a.assignments,
        // serialised here: a string crosses threads as one copy, an object graph field by field
        ...(a.decision !== undefined ? { decisionJson: JSON.stringify(a.decision) } : {}),
        ...(a.hold !== undefined ? { hold: a.hold } : {}),
      });
    }
    reply = { allocations, capacityLeft: [...env.capacityLeft] };
  } catch (err) {
    reply = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  port.postMessage({ id, reply });
});
