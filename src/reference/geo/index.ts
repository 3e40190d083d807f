export * from './geo-loaders.ts';
