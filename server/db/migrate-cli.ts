import { loadEnv } from '../env';
import { openDatabase } from './client';

// `npm run db:migrate`: apply pending migrations to DATABASE_PATH without starting the server.
const env = loadEnv();
const { sqlite } = openDatabase(env.DATABASE_PATH);
sqlite.close();
console.log(`migrated ${env.DATABASE_PATH}`);
