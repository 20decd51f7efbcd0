// Every table, for drizzle's relational queries and drizzle-kit.
export * from './catalog';
export * from './customers';
export * from './one-to-one';
export * from './orders';
export * from './specs';
export * from './webhooks';
