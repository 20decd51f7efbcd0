import type { AppDeps } from '../deps';

export interface SessionCustomer {
  id: string;
  email: string;
  name: string;
  sessionHash: string;
}

/** Hono's environment for every route: the per-request variables middleware sets. */
export interface AppEnv {
  Variables: {
    customer?: SessionCustomer;
  };
}

export type { AppDeps };
