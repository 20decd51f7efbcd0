import { Hono } from 'hono';
import { z } from 'zod';
import { COMPLAINT_CATEGORIES } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import {
  customerFollowUp,
  getComplaint,
  getOwnComplaint,
  listComplaints,
  listOwnComplaints,
  openComplaint,
  operatorReply,
  resolveComplaint,
} from '../../services/complaints/complaints';
import { parseBody, parseQuery } from '../problem';
import { requireCustomer } from '../session';
import type { AppEnv } from '../types';

const openSchema = z
  .object({ category: z.enum(COMPLAINT_CATEGORIES), message: z.string().trim().min(1).max(4000) })
  .strict();
const messageSchema = z.object({ message: z.string().trim().min(1).max(4000) }).strict();
const resolveSchema = z.object({ resolution: z.string().trim().min(1).max(4000) }).strict();
const listQuery = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  category: z.enum(COMPLAINT_CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Complaints and questions: customers open and follow up; operators reply and resolve. */
export function complaintRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/api/orders/:orderId/complaints', async (c) => {
      const customer = requireCustomer(c);
      const body = await parseBody(c, openSchema);
      return c.json(openComplaint(deps, customer.id, c.req.param('orderId'), body), 201);
    })
    .get('/api/orders/:orderId/complaints', (c) =>
      c.json(listOwnComplaints(deps, requireCustomer(c).id, c.req.param('orderId'))),
    )
    .get('/api/complaints', (c) => c.json(listOwnComplaints(deps, requireCustomer(c).id)))
    .get('/api/complaints/:complaintId', (c) =>
      c.json(getOwnComplaint(deps, requireCustomer(c).id, c.req.param('complaintId'))),
    )
    .post('/api/complaints/:complaintId/messages', async (c) => {
      const customer = requireCustomer(c);
      const body = await parseBody(c, messageSchema);
      return c.json(customerFollowUp(deps, customer.id, c.req.param('complaintId'), body.message));
    })
    .get('/api/admin/complaints', (c) => c.json(listComplaints(deps, parseQuery(c, listQuery))))
    .get('/api/admin/complaints/:complaintId', (c) => c.json(getComplaint(deps, c.req.param('complaintId'))))
    .post('/api/admin/complaints/:complaintId/messages', async (c) => {
      const body = await parseBody(c, messageSchema);
      return c.json(operatorReply(deps, c.req.param('complaintId'), body.message));
    })
    .post('/api/admin/complaints/:complaintId/resolve', async (c) => {
      const body = await parseBody(c, resolveSchema);
      return c.json(resolveComplaint(deps, c.req.param('complaintId'), body.resolution));
    });
}
