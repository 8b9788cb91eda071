export * from './vocabularies';
export * from './events';
