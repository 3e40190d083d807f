export * from './csv.ts';
export * from './usps-zone-chart.ts';
export * from './ups-interchange.ts';
export * from './rate-card.ts';
