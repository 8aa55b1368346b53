export * from './job';
export * from './errors';
export * from './events';
export * from './realtime';
export * from './api-schemas';
export * from './permissions';
export * from './account-schemas';
