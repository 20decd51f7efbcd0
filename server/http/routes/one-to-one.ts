import { Hono } from 'hono';
import type { AppDeps } from '../../deps';
import type { AppEnv } from '../types';
import { adminCustomerRoutes } from './admin-customers';
import { adminInsightRoutes } from './admin-insights';
import { adminOrderRoutes } from './admin-orders';
import { complaintRoutes } from './complaints';
import { feedbackRoutes } from './feedback';

/** Everything of issue 6 (the learning loop and the operations console), mounted with one line. */
export function oneToOneRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .route('/', feedbackRoutes(deps))
    .route('/', complaintRoutes(deps))
    .route('/', adminInsightRoutes(deps))
    .route('/', adminCustomerRoutes(deps))
    .route('/', adminOrderRoutes(deps));
}
