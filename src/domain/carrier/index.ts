export * from './rate-table.ts';
export * from './zone.ts';
export * from './rate.ts';
export * from './rate-shop.ts';
export * from './parcel.ts';
