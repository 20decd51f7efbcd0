// Worker threads do not inherit tsx's loader from `node --import tsx`: register it here, then
// load the TypeScript entry point of the dispatcher thread.
import { register } from 'tsx/esm/api';

register();
await import('./dispatcher-worker.ts');
