import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import {
  acceptFeedback,
  declineFeedback,
  feedbackQuestions,
  feedbackView,
  findOwnFeedback,
  listFeedback,
  submitFeedback,
} from '../../services/feedback/feedback';
import { listOwnRemakes, remakeAllowance, requestRemake } from '../../services/remakes/remakes';
import { parseBody } from '../problem';
import { requireCustomer } from '../session';
import type { AppEnv } from '../types';

const feedbackSchema = z
  .object({
    answers: z.record(z.string().min(1).max(64), z.string().max(32)),
    comment: z.string().max(2000).optional(),
  })
  .strict();

const remakeSchema = z
  .object({
    reason: z.enum(['fit', 'defect', 'other']),
    detail: z.string().max(500).optional(),
  })
  .strict();

/** The learning loop for the signed-in customer: fit feedback, proposals, remakes. */
export function feedbackRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/api/orders/:orderId/feedback', (c) =>
      c.json(feedbackQuestions(deps, requireCustomer(c).id, c.req.param('orderId'))),
    )
    .post('/api/orders/:orderId/lines/:lineId/feedback', async (c) => {
      const customer = requireCustomer(c);
      const body = await parseBody(c, feedbackSchema);
      return c.json(
        submitFeedback(deps, customer.id, c.req.param('orderId'), c.req.param('lineId'), body),
        201,
      );
    })
    .get('/api/feedback', (c) => c.json(listFeedback(deps, requireCustomer(c).id)))
    .get('/api/feedback/:feedbackId', (c) =>
      c.json(feedbackView(findOwnFeedback(deps, requireCustomer(c).id, c.req.param('feedbackId')))),
    )
    .post('/api/feedback/:feedbackId/accept', (c) =>
      c.json(acceptFeedback(deps, requireCustomer(c).id, c.req.param('feedbackId'))),
    )
    .post('/api/feedback/:feedbackId/decline', (c) =>
      c.json(declineFeedback(deps, requireCustomer(c).id, c.req.param('feedbackId'))),
    )
    .get('/api/orders/:orderId/remakes', (c) =>
      c.json(listOwnRemakes(deps, requireCustomer(c).id, c.req.param('orderId'))),
    )
    .get('/api/remake-allowance/:productId', (c) =>
      c.json(remakeAllowance(deps, requireCustomer(c).id, c.req.param('productId'))),
    )
    .post('/api/orders/:orderId/lines/:lineId/remake', async (c) => {
      const customer = requireCustomer(c);
      const body = await parseBody(c, remakeSchema);
      const r = requestRemake(deps, customer.id, c.req.param('orderId'), c.req.param('lineId'), body);
      return c.json(r.body, r.status as 200 | 201);
    });
}
