import { Type } from 'typebox';
import { CHANNEL_KINDS } from '../modules/channels/channels.service.ts';
import { LOCATION_TYPES } from '../modules/locations/locations.service.ts';

/** JSON Schemas (TypeBox) for the API: they validate requests and are the OpenAPI document. */
const Str = (max = 200, min = 1) => Type.String({ minLength: min, maxLength: max });
const Code = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$' });
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Minor = (desc: string) => Type.Integer({ minimum: 0, maximum: 1e13, description: `${desc}, integer minor units` });

export const Address = Type.Object(
  {
    name: Type.Optional(Str()),
    company: Type.Optional(Str()),
    line1: Str(),
    line2: Type.Optional(Str(200, 0)),
    city: Str(),
    region: Type.Optional(Str(100, 0)),
    postcode: Type.Optional(Str(20, 0)),
    country: Country,
    phone: Type.Optional(Str(40, 0)),
  },
  { additionalProperties: false },
);

export const OrderLineInput = Type.Object(
  {
    sku: Code,
    quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
    unitPriceMinor: Minor('price of one unit'),
    discountMinor: Type.Optional(Minor('discount on the line')),
    taxMinor: Type.Optional(Minor('tax on the line')),
  },
  { additionalProperties: false },
);

export const CaptureBody = Type.Object(
  {
    channel: Code,
    externalId: Str(200),
    customer: Type.Optional(
      Type.Object(
        { name: Type.Optional(Str()), email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })), phone: Type.Optional(Str(40)) },
        { additionalProperties: false },
      ),
    ),
    shippingAddress: Address,
    billingAddress: Type.Optional(Address),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
    serviceLevel: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'e.g. standard, express, next_day' })),
    requestedDeliveryDate: Type.Optional(IsoDate),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
    placedAt: Type.Optional(Type.String({ format: 'date-time' })),
    shippingMinor: Type.Optional(Minor('shipping charged')),
    lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);

export const SkuBody = Type.Object(
  {
    sku: Code,
    name: Str(),
    productCode: Type.Optional(Code),
    weightGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    lengthMm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    widthMm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    heightMm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    declaredValueMinor: Type.Optional(Minor('declared customs value')),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    hsCode: Type.Optional(Type.String({ pattern: '^[0-9]{4,10}$' })),
    countryOfOrigin: Type.Optional(Country),
    hazmatClass: Type.Optional(Type.String({ maxLength: 20 })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
    backorderAllowed: Type.Optional(Type.Boolean()),
    preorderAvailableOn: Type.Optional(IsoDate),
    components: Type.Optional(
      Type.Array(Type.Object({ sku: Code, qty: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
    ),
  },
  { additionalProperties: false },
);

const LocationFields = {
  name: Str(),
  type: Type.Union(LOCATION_TYPES.map((t) => Type.Literal(t))),
  address: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 200 }))),
  postcode: Type.Optional(Str(20, 0)),
  country: Country,
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  timeZone: Type.Optional(Str(64)),
  holidayCountry: Type.Optional(Country),
  holidayRegion: Type.Optional(Str(20)),
  closures: Type.Optional(Type.Array(IsoDate, { maxItems: 366 })),
  cutoffTime: Type.Optional(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })),
  handlingDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  dailyCapacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  handlingCostMinor: Type.Optional(Minor('handling cost per shipment')),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
  active: Type.Optional(Type.Boolean()),
};
export const LocationBody = Type.Object({ code: Code, ...LocationFields }, { additionalProperties: false });
export const LocationPatch = Type.Partial(Type.Object(LocationFields), { additionalProperties: false });
export const ClosureBody = Type.Object({ date: IsoDate }, { additionalProperties: false });
export const ClosureParams = Type.Object({ code: Code, date: IsoDate });

export const ChannelBody = Type.Object(
  {
    code: Code,
    name: Str(),
    kind: Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k))),
    buffer: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    locations: Type.Optional(Type.Array(Code, { maxItems: 500 })),
    webhookSecret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
  },
  { additionalProperties: false },
);

const Qty = Type.Integer({ minimum: 1, maximum: 10_000_000 });
export const Reason = Type.String({ minLength: 1, maxLength: 500 });
export const ReceiveBody = Type.Object({ sku: Code, location: Code, qty: Qty, reason: Type.Optional(Reason), reference: Type.Optional(Str()) }, { additionalProperties: false });
export const AdjustBody = Type.Object(
  { sku: Code, location: Code, delta: Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, not: { const: 0 } }), reason: Reason, reference: Type.Optional(Str()) },
  { additionalProperties: false },
);
export const CountBody = Type.Object(
  { sku: Code, location: Code, counted: Type.Integer({ minimum: 0, maximum: 10_000_000 }), reason: Type.Optional(Reason), reference: Type.Optional(Str()) },
  { additionalProperties: false },
);
export const TransferBody = Type.Object({ sku: Code, from: Code, to: Code, qty: Qty, reference: Type.Optional(Str()) }, { additionalProperties: false });
export const SafetyStockBody = Type.Object({ sku: Code, location: Code, qty: Type.Integer({ minimum: 0, maximum: 10_000_000 }) }, { additionalProperties: false });

export const HoldBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const CancelBody = Type.Object(
  {
    reason: Reason,
    lines: Type.Optional(Type.Array(Type.Object({ lineId: Type.String({ format: 'uuid' }), qty: Qty }, { additionalProperties: false }), { minItems: 1, maxItems: 500 })),
  },
  { additionalProperties: false },
);

export const OrderListQuery = Type.Object(
  {
    status: Type.Optional(Str(40)),
    channel: Type.Optional(Code),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    sku: Type.Optional(Code),
    tag: Type.Optional(Str(64)),
    q: Type.Optional(Str(200)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Str(500)),
  },
  { additionalProperties: false },
);

export const SubscriptionBody = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 2000 }),
    eventTypes: Type.Optional(Type.Array(Type.String({ pattern: '^(\\*|[a-z_]+\\.(\\*|[a-z_]+))$' }), { minItems: 1, maxItems: 50 })),
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ApiKeyBody = Type.Object(
  { name: Str(100), role: Type.Union(['admin', 'ops', 'viewer', 'channel'].map((r) => Type.Literal(r))), channel: Type.Optional(Code) },
  { additionalProperties: false },
);

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const CodeParam = Type.Object({ code: Code });
export const SkuParam = Type.Object({ sku: Code });
export const Page = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), after: Type.Optional(Str(200)) },
  { additionalProperties: false },
);
