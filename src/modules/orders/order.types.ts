import type { OrderState } from '../../domain/order-state/order-state.ts';

export interface Address {
  name?: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postcode?: string;
  country: string;
  phone?: string;
}

export interface CaptureLineInput {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor?: number;
  taxMinor?: number;
}

/** A normalised order as every channel adapter produces it. */
export interface CaptureInput {
  channel: string;
  externalId: string;
  customer?: { name?: string; email?: string; phone?: string };
  shippingAddress: Address;
  billingAddress?: Address;
  currency: string;
  serviceLevel?: string;
  requestedDeliveryDate?: string;
  tags?: string[];
  placedAt?: string;
  shippingMinor?: number;
  lines: CaptureLineInput[];
}

export interface OrderRow {
  id: string;
  channelId: string;
  channel: string;
  externalId: string;
  status: OrderState;
  heldFrom: OrderState | null;
  customer: Record<string, unknown>;
  email: string | null;
  customerName: string | null;
  shippingAddress: Address;
  billingAddress: Address | null;
  currency: string;
  serviceLevel: string;
  requestedDeliveryDate: string | null;
  tags: string[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  shippingMinor: number;
  totalMinor: number;
  placedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LineRow {
  id: string;
  orderId: string;
  lineNo: number;
  skuId: string;
  sku: string;
  kitParentLineId: string | null;
  perKitQty: number | null;
  isKit: boolean;
  qtyOrdered: number;
  qtyReserved: number;
  qtyBackordered: number;
  qtyPreordered: number;
  qtyReleased: number;
  qtyShipped: number;
  qtyCancelled: number;
  qtyReturned: number;
  unitPriceMinor: number;
  discountMinor: number;
  taxMinor: number;
}

export interface ReservationRow {
  id: string;
  orderLineId: string;
  sku: string;
  location: string;
  qty: number;
  status: string;
}

export interface OrderEventRow {
  id: number;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  reason: string | null;
  data: Record<string, unknown>;
  at: string;
}

/** The order as the API shows it. */
export function orderDto(o: OrderRow, lines: LineRow[], reservations: ReservationRow[], timeline?: OrderEventRow[], promise?: unknown) {
  const children = (id: string) => lines.filter((l) => l.kitParentLineId === id);
  return {
    id: o.id,
    channel: o.channel,
    externalId: o.externalId,
    status: o.status,
    heldFrom: o.heldFrom,
    customer: o.customer,
    shippingAddress: o.shippingAddress,
    billingAddress: o.billingAddress,
    currency: o.currency,
    serviceLevel: o.serviceLevel,
    requestedDeliveryDate: o.requestedDeliveryDate,
    tags: o.tags,
    totals: { subtotalMinor: o.subtotalMinor, discountMinor: o.discountMinor, taxMinor: o.taxMinor, shippingMinor: o.shippingMinor, totalMinor: o.totalMinor },
    placedAt: o.placedAt,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    lines: lines
      .filter((l) => !l.kitParentLineId)
      .sort((a, b) => a.lineNo - b.lineNo)
      .map((l) => ({
        ...lineDto(l),
        components: l.isKit ? children(l.id).sort((a, b) => a.lineNo - b.lineNo).map((c) => ({ ...lineDto(c), perKit: c.perKitQty })) : undefined,
      })),
    reservations: reservations.map((r) => ({ id: r.id, lineId: r.orderLineId, sku: r.sku, location: r.location, qty: r.qty, status: r.status })),
    ...(timeline ? { timeline } : {}),
    ...(promise !== undefined ? { promise } : {}),
  };
}

function lineDto(l: LineRow) {
  return {
    id: l.id,
    lineNo: l.lineNo,
    sku: l.sku,
    kit: l.isKit,
    unitPriceMinor: l.unitPriceMinor,
    discountMinor: l.discountMinor,
    taxMinor: l.taxMinor,
    quantities: {
      ordered: l.qtyOrdered,
      reserved: l.qtyReserved,
      backordered: l.qtyBackordered,
      preordered: l.qtyPreordered,
      released: l.qtyReleased,
      shipped: l.qtyShipped,
      cancelled: l.qtyCancelled,
      returned: l.qtyReturned,
    },
  };
}
export type OrderDto = ReturnType<typeof orderDto>;
