import x12 from 'node-x12';
import type { X12Segment, X12Transaction } from 'node-x12';
import type { Address, CaptureInput } from '../../../modules/orders/order.types.ts';
import { amountReader, ChannelMappingError, serviceLevelFromText } from '../channel-mapping.ts';

// node-x12 ships CommonJS: its classes come off the default export
const { X12Parser } = x12;

/**
 * B2B purchase orders as ANSI X12 850 (EDI): the interchange's envelope is checked by node-x12's strict parser (ISA/IEA,
 * GS/GE and ST/SE control numbers and counts); each 850 transaction set maps to one capture input; the answer to the
 * trading partner is a 997 functional acknowledgment.
 */

/** A file that is not a well-formed X12 interchange of purchase orders: rejected whole. */
export class X12SyntaxError extends Error {
  constructor(message: string, readonly code = 'invalid_x12') {
    super(message);
  }
}

export interface X12PurchaseOrder {
  /** ST02 */
  control: string;
  /** BEG03, or null when the transaction set has none (it then cannot be captured) */
  poNumber: string | null;
  transaction: X12Transaction;
}

export interface X12Envelope {
  sender: string; senderQualifier: string; receiver: string; receiverQualifier: string;
  /** ISA13 */ interchangeControl: string;
  /** GS02, GS03, GS06 */ groupSender: string; groupReceiver: string; groupControl: string;
  version: string;
  /** ISA12 */ isaVersion: string;
  elementDelimiter: string; segmentTerminator: string; subElementDelimiter: string;
}

/**
 * Parses an X12 interchange that carries purchase orders: one interchange, one or more PO functional groups (GS01
 * `PO`), 850 transaction sets only. Anything else, or a broken envelope, throws X12SyntaxError.
 */
export function parsePurchaseOrders(text: string): { envelope: X12Envelope; groups: Array<{ control: string; orders: X12PurchaseOrder[] }> } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('ISA')) throw new X12SyntaxError('an X12 interchange starts with an ISA segment');
  let parsed: ReturnType<InstanceType<typeof X12Parser>['parse']>;
  try {
    parsed = new X12Parser(true).parse(trimmed);
  } catch (err) {
    throw new X12SyntaxError(err instanceof Error ? err.message : String(err));
  }
  if (!('functionalGroups' in parsed)) throw new X12SyntaxError('one interchange per file: this file holds several (ISA … IEA repeated)');
  const isa = parsed.header;
  const elementDelimiter = parsed.elementDelimiter;
  const segmentTerminator = parsed.segmentTerminator;
  const groups = parsed.functionalGroups.map((g) => {
    if (g.header.valueOf(1) !== 'PO') throw new X12SyntaxError(`functional group ${g.header.valueOf(6)} is ${g.header.valueOf(1)}, not PO (purchase orders)`, 'unsupported_transaction_set');
    return {
      control: g.header.valueOf(6) ?? '',
      orders: g.transactions.map((t) => {
        if (t.header.valueOf(1) !== '850') throw new X12SyntaxError(`transaction set ${t.header.valueOf(2)} is ${t.header.valueOf(1)}, not 850`, 'unsupported_transaction_set');
        const beg = t.segments.find((s) => s.tag === 'BEG');
        return { control: t.header.valueOf(2) ?? '', poNumber: beg?.valueOf(3)?.trim() || null, transaction: t };
      }),
    };
  });
  const first = parsed.functionalGroups[0]!.header;
  return {
    envelope: {
      senderQualifier: isa.valueOf(5)?.trim() ?? '', sender: isa.valueOf(6)?.trim() ?? '',
      receiverQualifier: isa.valueOf(7)?.trim() ?? '', receiver: isa.valueOf(8)?.trim() ?? '',
      interchangeControl: (isa.valueOf(13) ?? '').padStart(9, '0'), version: first.valueOf(8) ?? '004010', // node-x12 drops ISA13's leading zeros
      groupSender: first.valueOf(2) ?? '', groupReceiver: first.valueOf(3) ?? '', groupControl: first.valueOf(6) ?? '',
      isaVersion: isa.valueOf(12) ?? '00401', subElementDelimiter: isa.valueOf(16)?.trim() || '>',
      elementDelimiter, segmentTerminator,
    },
    groups,
  };
}

/** Product id qualifiers that name the seller's own item, in order of preference (PO1-06 … pairs). */
const SELLER_ITEM_QUALIFIERS = ['SK', 'VN', 'VP'] as const;

const ymd = (d: string | undefined) => (d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : undefined);

/**
 * One 850 → capture input. BEG03 is the order's external id; ship-to from the N1*ST loop (N1/N3/N4); lines from
 * PO1 (quantity, unit price, the seller's item number: SK, else VN, else VP); DTM*002 the requested delivery date;
 * CUR*BY the currency (USD without one); TD5 routing text the service level; CTT01, when present, must count the PO1
 * lines. Cancellations and changes (BEG01 other than 00) are not purchase orders to capture.
 */
export function map850(t: X12Transaction, channel: string): CaptureInput {
  const segs = t.segments;
  const beg = segs.find((s) => s.tag === 'BEG');
  if (!beg) throw new ChannelMappingError('BEG', 'the 850 has no BEG segment');
  const poNumber = beg.valueOf(3)?.trim();
  if (!poNumber) throw new ChannelMappingError('BEG03', 'BEG03 (purchase order number) is empty');
  if (beg.valueOf(1) !== '00') throw new ChannelMappingError('BEG01', `BEG01 ${beg.valueOf(1)}: only original purchase orders (00) are captured; send changes as 860`);
  const currency = (segs.find((s) => s.tag === 'CUR' && s.valueOf(1) === 'BY')?.valueOf(2) ?? 'USD').trim().toUpperCase();
  const minor = amountReader(currency);

  const shipTo = partyAddress(segs, 'ST');
  if (!shipTo) throw new ChannelMappingError('N1', 'no ship-to party (N1*ST with N3 and N4)');
  const billTo = partyAddress(segs, 'BT');

  const lines = segs.filter((s) => s.tag === 'PO1').map((po1, i) => {
    const field = `PO1[${i + 1}]`;
    const qty = Number(po1.valueOf(2));
    if (!Number.isInteger(qty) || qty <= 0) throw new ChannelMappingError(`${field}/PO102`, `line ${po1.valueOf(1) ?? i + 1}: quantity ${po1.valueOf(2)} is not a positive whole number`);
    const ids = new Map<string, string>();
    for (let k = 6; k + 1 <= po1.elements.length; k += 2) {
      const q = po1.valueOf(k)?.trim();
      const v = po1.valueOf(k + 1)?.trim();
      if (q && v && !ids.has(q)) ids.set(q, v);
    }
    const sku = SELLER_ITEM_QUALIFIERS.map((q) => ids.get(q)).find(Boolean);
    if (!sku) throw new ChannelMappingError(`${field}/PO107`, `line ${po1.valueOf(1) ?? i + 1} names no seller item (qualifier ${SELLER_ITEM_QUALIFIERS.join(', ')}); it has ${[...ids.keys()].join(', ') || 'none'}`);
    return { sku, quantity: qty, unitPriceMinor: minor(po1.valueOf(4), `${field}/PO104`) };
  });
  if (lines.length === 0) throw new ChannelMappingError('PO1', 'the 850 has no PO1 lines');
  const ctt = segs.find((s) => s.tag === 'CTT');
  if (ctt && Number(ctt.valueOf(1)) !== lines.length) throw new ChannelMappingError('CTT01', `CTT01 says ${ctt.valueOf(1)} lines, the 850 has ${lines.length}`);

  const requested = ymd(segs.find((s) => s.tag === 'DTM' && s.valueOf(1) === '002')?.valueOf(2));
  const placed = ymd(beg.valueOf(5));
  const td5 = segs.find((s) => s.tag === 'TD5');
  const department = segs.find((s) => s.tag === 'REF' && s.valueOf(1) === 'DP')?.valueOf(2);
  return {
    channel,
    externalId: poNumber,
    customer: { name: billTo?.name ?? shipTo.name ?? poNumber },
    shippingAddress: shipTo,
    ...(billTo ? { billingAddress: billTo } : {}),
    currency,
    serviceLevel: serviceLevelFromText(`${td5?.valueOf(5) ?? ''} ${td5?.valueOf(3) ?? ''}`),
    ...(requested ? { requestedDeliveryDate: requested } : {}),
    tags: ['edi', ...(department ? [`dept-${department.trim().toLowerCase()}`] : [])],
    ...(placed ? { placedAt: `${placed}T00:00:00.000Z` } : {}),
    lines,
  };
}

/** The address of an N1 loop (N1 entity code, then N2/N3/N4 up to the next N1 or the first PO1). */
function partyAddress(segs: X12Segment[], entity: string): Address | null {
  const start = segs.findIndex((s) => s.tag === 'N1' && s.valueOf(1) === entity);
  if (start < 0) return null;
  let n3: X12Segment | undefined;
  let n4: X12Segment | undefined;
  for (let i = start + 1; i < segs.length; i++) {
    const s = segs[i]!;
    if (s.tag === 'N1' || s.tag === 'PO1') break;
    if (s.tag === 'N3' && !n3) n3 = s;
    if (s.tag === 'N4' && !n4) n4 = s;
  }
  if (!n3?.valueOf(1) || !n4?.valueOf(1)) return null;
  const name = segs[start]!.valueOf(2)?.trim();
  return {
    ...(name ? { name, company: name } : {}),
    line1: n3.valueOf(1)!.trim(),
    ...(n3.valueOf(2)?.trim() ? { line2: n3.valueOf(2)!.trim() } : {}),
    city: n4.valueOf(1)!.trim(),
    ...(n4.valueOf(2)?.trim() ? { region: n4.valueOf(2)!.trim() } : {}),
    ...(n4.valueOf(3)?.trim() ? { postcode: n4.valueOf(3)!.trim() } : {}),
    country: (n4.valueOf(4)?.trim() || 'US').toUpperCase(),
  };
}

/**
 * An interchange answering `envelope` (sender and receiver swapped): functional groups of transaction sets, each set
 * given as its code and body segments (ST/SE, GS/GE and ISA/IEA with their counts are added). The control numbers
 * derive from the received ones, so a redelivered file gets the same answer.
 */
function answerInterchange(envelope: X12Envelope, now: Date, functionalId: string, groups: ReadonlyArray<{ control: string; sets: ReadonlyArray<{ code: string; body: string[][] }> }>): string {
  const pad = (v: string, n: number) => v.padEnd(n, ' ').slice(0, n);
  const iso = now.toISOString();
  const date6 = iso.slice(2, 10).replace(/-/g, '');
  const date8 = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 16).replace(':', '');
  const control = envelope.interchangeControl.padStart(9, '0');
  const out: string[][] = [];
  out.push(['ISA', '00', pad('', 10), '00', pad('', 10), pad(envelope.receiverQualifier, 2), pad(envelope.receiver, 15), pad(envelope.senderQualifier, 2), pad(envelope.sender, 15), date6, time, 'U', envelope.isaVersion, control, '0', 'P', envelope.subElementDelimiter]);
  for (const g of groups) {
    out.push(['GS', functionalId, envelope.groupReceiver, envelope.groupSender, date8, time, g.control, 'X', envelope.version]);
    g.sets.forEach((set, i) => {
      const st = String(i + 1).padStart(4, '0');
      out.push(['ST', set.code, st], ...set.body, ['SE', String(set.body.length + 2), st]);
    });
    out.push(['GE', String(g.sets.length), g.control]);
  }
  out.push(['IEA', String(groups.length), control]);
  return out.map((seg) => seg.join(envelope.elementDelimiter)).join(`${envelope.segmentTerminator}\n`) + envelope.segmentTerminator;
}

/**
 * The 997 functional acknowledgment of a received interchange: every 850 accepted (AK5*A) — the 997 answers for the
 * syntax, which the strict parse has checked; whether each order could be captured is the order's own business
 * (captured or quarantined, and the 855 for those captured).
 */
export function functionalAck997(envelope: X12Envelope, groups: ReadonlyArray<{ control: string; orders: ReadonlyArray<{ control: string }> }>, now: Date): string {
  return answerInterchange(envelope, now, 'FA', groups.map((g) => {
    const body: string[][] = [['AK1', 'PO', g.control]];
    for (const o of g.orders) body.push(['AK2', '850', o.control], ['AK5', 'A']);
    body.push(['AK9', 'A', String(g.orders.length), String(g.orders.length), String(g.orders.length)]);
    return { control: g.control, sets: [{ code: '997', body }] };
  }));
}

/** What an 855 says of one captured order line: what was ordered and what Switchyard holds for it. */
export interface AckLine {
  sku: string;
  unitPriceMinor: number;
  quantities: { ordered: number; reserved: number; backordered: number; preordered: number; cancelled: number };
}

/**
 * The 855 purchase order acknowledgment of the captured purchase orders (one transaction set each), the seller's answer
 * line by line: each PO1 echoes the buyer's line number, quantity, price and item, followed by ACK segments — IA for the
 * units reserved (shipping as ordered), IB for units back-ordered or pre-ordered, IR for units cancelled. BAK02 is AD
 * (acknowledged, no change) when every unit is reserved, else AC (acknowledged with changes). Amounts in the
 * currency's minor units are written back as decimals; the 855's control numbers derive from the received ones.
 */
export function purchaseOrderAck855(envelope: X12Envelope, acks: ReadonlyArray<{ po: X12PurchaseOrder; currencyExponent: number; lines: readonly AckLine[] }>, now: Date): string {
  const decimal = (minor: number, exp: number) => (exp === 0 ? String(minor) : (minor / 10 ** exp).toFixed(exp));
  const sets = acks.map((a) => {
    const po1s = a.po.transaction.segments.filter((seg) => seg.tag === 'PO1');
    const changed = a.lines.some((l) => l.quantities.reserved !== l.quantities.ordered);
    const begDate = a.po.transaction.segments.find((seg) => seg.tag === 'BEG')?.valueOf(5) ?? now.toISOString().slice(0, 10).replace(/-/g, '');
    const body: string[][] = [['BAK', '00', changed ? 'AC' : 'AD', a.po.poNumber ?? '', begDate]];
    a.lines.forEach((l, k) => {
      const uom = po1s[k]?.valueOf(3) || 'EA';
      body.push(['PO1', po1s[k]?.valueOf(1) || String(k + 1), String(l.quantities.ordered), uom, decimal(l.unitPriceMinor, a.currencyExponent), '', 'VN', l.sku]);
      const q = l.quantities;
      if (q.reserved > 0) body.push(['ACK', 'IA', String(q.reserved), uom]);
      if (q.backordered + q.preordered > 0) body.push(['ACK', 'IB', String(q.backordered + q.preordered), uom]);
      if (q.cancelled > 0) body.push(['ACK', 'IR', String(q.cancelled), uom]);
    });
    body.push(['CTT', String(a.lines.length)]);
    return { code: '855', body };
  });
  return answerInterchange(envelope, now, 'PR', [{ control: envelope.groupControl, sets }]);
}
