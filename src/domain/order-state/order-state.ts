/**
 * The order life cycle as data (Vendure-style): states, the transitions allowed from each, and guards.
 * Allocation states are derived from line quantities; holds, cancellation and fulfilment move between them
 * through `transition()`, the one entry point, which returns a typed result instead of throwing.
 */
export const ORDER_STATES = [
  'allocated', 'partially_allocated', 'backordered', 'preordered', 'on_hold',
  'released', 'partially_shipped', 'shipped', 'delivered', 'cancelled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const ALLOCATION: OrderState[] = ['allocated', 'partially_allocated', 'backordered', 'preordered'];

export const TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = Object.freeze({
  allocated: [...ALLOCATION, 'on_hold', 'released', 'cancelled'],
  partially_allocated: [...ALLOCATION, 'on_hold', 'released', 'cancelled'],
  backordered: [...ALLOCATION, 'on_hold', 'cancelled'],
  preordered: [...ALLOCATION, 'on_hold', 'cancelled'],
  on_hold: [...ALLOCATION, 'cancelled'],
  released: ['partially_shipped', 'shipped', 'on_hold', 'cancelled'],
  partially_shipped: ['shipped', 'on_hold'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
});

export interface LineQuantities {
  qtyOrdered: number;
  qtyReserved: number;
  qtyBackordered: number;
  qtyPreordered: number;
  qtyShipped: number;
  qtyCancelled: number;
  /** kit parent lines carry no stock of their own and are left out of the derivation */
  isKitParent?: boolean;
}

/** The allocation state that the line quantities describe. */
export function deriveAllocationState(lines: readonly LineQuantities[]): OrderState {
  const stocked = lines.filter((l) => !l.isKitParent);
  const open = stocked.reduce((a, l) => a + l.qtyOrdered - l.qtyCancelled, 0);
  if (open === 0) return 'cancelled';
  const reserved = stocked.reduce((a, l) => a + l.qtyReserved + l.qtyShipped, 0);
  const back = stocked.reduce((a, l) => a + l.qtyBackordered, 0);
  const pre = stocked.reduce((a, l) => a + l.qtyPreordered, 0);
  if (back === 0 && pre === 0) return 'allocated';
  if (reserved > 0) return 'partially_allocated';
  return back > 0 ? 'backordered' : 'preordered';
}

export type TransitionResult =
  | { ok: true; from: OrderState; to: OrderState }
  | { ok: false; code: 'transition_not_allowed'; message: string; from: OrderState; to: OrderState };

export interface TransitionGuard {
  (from: OrderState, to: OrderState): string | null;
}

/** Checks a transition against the table and any guards; returns why not, as data. */
export function transition(from: OrderState, to: OrderState, guards: readonly TransitionGuard[] = []): TransitionResult {
  if (!TRANSITIONS[from].includes(to)) {
    return { ok: false, code: 'transition_not_allowed', message: `an order that is ${from} cannot become ${to}`, from, to };
  }
  for (const g of guards) {
    const why = g(from, to);
    if (why) return { ok: false, code: 'transition_not_allowed', message: why, from, to };
  }
  return { ok: true, from, to };
}

export const isCancellable = (s: OrderState) => TRANSITIONS[s].includes('cancelled');
export const isAllocationState = (s: OrderState) => ALLOCATION.includes(s);
