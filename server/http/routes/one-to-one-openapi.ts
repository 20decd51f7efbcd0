// The learning loop's and the operations console's operations, in the shape of OPERATIONS in
// server/http/openapi.ts, so the generated document can list them with one spread
// (`...ONE_TO_ONE_OPERATIONS`). Request bodies are described in words (their zod schemas sit in the
// route files); answers reference the schemas server/http/schemas.ts registers (FitFeedback, …).

type Status = Record<number, { description: string; schema?: string; array?: boolean }>;
interface Op {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth?: 'session' | 'admin';
  responses: Status;
}

const problem = (description: string) => ({ description, schema: 'Problem' });
const session = { 401: problem('Not signed in'), 404: problem('Unknown or someone else’s order') };
const admin = { 401: problem('A valid admin bearer token is required') };
const LOOP = 'Learning loop';
const CONSOLE = 'Operations console';

export const ONE_TO_ONE_OPERATIONS: Op[] = [
  {
    method: 'get',
    path: '/api/orders/{orderId}/feedback',
    tag: LOOP,
    auth: 'session',
    summary: 'Fit questions per line of an order (areas from the product), with any feedback given',
    responses: {
      200: {
        description: '`{ orderId, status, open, lines: [{ lineId, areas, feedback }] }`',
        schema: 'FitQuestions',
      },
      ...session,
    },
  },
  {
    method: 'post',
    path: '/api/orders/{orderId}/lines/{lineId}/feedback',
    tag: LOOP,
    auth: 'session',
    summary: 'Answer the fit questions of a delivered line',
    description:
      'Body `{ answers: { [areaId]: "too_tight"|"right"|"too_loose"|"too_short"|"too_long" }, comment? }`. When something is off the engine proposes an adjustment (`proposal.before/after/changes/summary`), always a valid configuration of today’s catalog; `decision` is then `pending`. Once per line.',
    responses: {
      201: { description: 'The feedback with its proposal', schema: 'FitFeedback' },
      400: problem('Malformed JSON'),
      ...session,
      409: problem('Not delivered yet (`reason: not_delivered`) or already answered (`feedback_exists`)'),
      422: problem('Unknown area or an answer on the wrong scale (`errors[].path` = `answers.<area>`)'),
    },
  },
  {
    method: 'get',
    path: '/api/feedback',
    tag: LOOP,
    auth: 'session',
    summary: 'The customer’s fit feedback, newest first',
    responses: {
      200: { description: 'Feedback list', schema: 'FitFeedback', array: true },
      401: problem('Not signed in'),
    },
  },
  {
    method: 'get',
    path: '/api/feedback/{feedbackId}',
    tag: LOOP,
    auth: 'session',
    summary: 'One fit feedback with its proposal and decision',
    responses: {
      200: { description: 'The feedback', schema: 'FitFeedback' },
      401: problem('Not signed in'),
      404: problem('Unknown or someone else’s feedback'),
    },
  },
  {
    method: 'post',
    path: '/api/feedback/{feedbackId}/accept',
    tag: LOOP,
    auth: 'session',
    summary: 'Accept the proposal: a new spec version (or a new spec), linked to the order and feedback',
    description:
      'Only the modules the proposal changes are written into the spec as it is now: what the customer changed in the spec after the order stays.',
    responses: {
      200: {
        description: '`{ spec, feedback, reorder }` (reorder: the draft that uses the adjusted spec)',
        schema: 'FeedbackAccepted',
      },
      ...session,
      409: problem(
        'No proposal pending (`reason: already_decided`), or the spec was changed since the order in a way the proposal no longer fits (`reason: spec_changed`)',
      ),
    },
  },
  {
    method: 'post',
    path: '/api/feedback/{feedbackId}/decline',
    tag: LOOP,
    auth: 'session',
    summary: 'Decline the proposal (the spec stays as it is)',
    responses: {
      200: { description: 'The feedback', schema: 'FitFeedback' },
      ...session,
      409: problem('No proposal pending'),
    },
  },
  {
    method: 'post',
    path: '/api/orders/{orderId}/lines/{lineId}/remake',
    tag: LOOP,
    auth: 'session',
    summary: 'A remake of a delivered line: a linked child order at no charge',
    description:
      'Body `{ reason: "fit"|"defect"|"other", detail? }`. Routed like any order; the supplier’s `production.requested` carries `data.remake`. At most 2 remakes per product per customer; one the shop cancelled or the supplier rejected does not count. The same request (same line and reason) within 60 s returns the first remake (200) while it is still live; once that one is cancelled or rejected, a new remake is made (201).',
    responses: {
      201: {
        description: '`{ remake, order, allowance: { used, limit, remaining } }`',
        schema: 'RemakeCreated',
      },
      200: { description: 'The same remake again (a repeated request)', schema: 'RemakeCreated' },
      ...session,
      409: problem(
        'Not delivered (`not_delivered`) or the limit is used up (`remake_limit`, with used/limit)',
      ),
      422: problem('Unknown reason'),
    },
  },
  {
    method: 'get',
    path: '/api/orders/{orderId}/remakes',
    tag: LOOP,
    auth: 'session',
    summary: 'Remakes of an order (`remakes`) and what it remakes (`remakeOf`)',
    responses: { 200: { description: 'Remakes', schema: 'OrderRemakes' }, ...session },
  },
  {
    method: 'get',
    path: '/api/remake-allowance/{productId}',
    tag: LOOP,
    auth: 'session',
    summary: 'Remakes used and left for a product (cancelled or rejected remakes are not used)',
    responses: {
      200: { description: '`{ used, limit, remaining }`', schema: 'RemakeAllowance' },
      401: problem('Not signed in'),
    },
  },
  {
    method: 'post',
    path: '/api/orders/{orderId}/complaints',
    tag: LOOP,
    auth: 'session',
    summary: 'A complaint or question about an order',
    description:
      'Body `{ category: "damaged"|"late"|"wrong_item"|"fit"|"quality"|"billing"|"question"|"other", message }`.',
    responses: {
      201: { description: 'The complaint (`contacts: 1`, `status: open`)', schema: 'ComplaintDetail' },
      ...session,
      422: problem('Bad category or empty message'),
    },
  },
  {
    method: 'get',
    path: '/api/orders/{orderId}/complaints',
    tag: LOOP,
    auth: 'session',
    summary: 'The customer’s complaints about one order',
    responses: { 200: { description: 'Complaints', schema: 'Complaint', array: true }, ...session },
  },
  {
    method: 'get',
    path: '/api/complaints',
    tag: LOOP,
    auth: 'session',
    summary: 'The customer’s complaints',
    responses: {
      200: { description: 'Complaints', schema: 'Complaint', array: true },
      401: problem('Not signed in'),
    },
  },
  {
    method: 'get',
    path: '/api/complaints/{complaintId}',
    tag: LOOP,
    auth: 'session',
    summary: 'One complaint with its messages',
    responses: {
      200: { description: 'The complaint', schema: 'ComplaintDetail' },
      401: problem('Not signed in'),
      404: problem('Unknown or someone else’s complaint'),
    },
  },
  {
    method: 'post',
    path: '/api/complaints/{complaintId}/messages',
    tag: LOOP,
    auth: 'session',
    summary: 'Write again about a complaint: one more contact (a resolved one opens again)',
    responses: {
      200: { description: 'The complaint with its messages', schema: 'ComplaintDetail' },
      ...session,
    },
  },
  {
    method: 'get',
    path: '/api/admin/insights/customers',
    tag: CONSOLE,
    auth: 'admin',
    summary:
      'Value classes A–D, Pareto (share of revenue from the top 20%) and the 3 x 3 volume × satisfaction grid',
    responses: { 200: { description: 'Overview', schema: 'CustomerInsightsOverview' }, ...admin },
  },
  {
    method: 'get',
    path: '/api/admin/insights/partners',
    tag: CONSOLE,
    auth: 'admin',
    summary:
      'Delivery success rate and latency per partner (24 h / 7 d) and supplier quality over `?days=` (default 90)',
    responses: {
      200: { description: 'Partners', schema: 'PartnerInsights' },
      ...admin,
      422: problem('Bad days'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/insights/service',
    tag: CONSOLE,
    auth: 'admin',
    summary:
      'Fit feedback and complaints per day and category, first-contact resolution, modules adjusted (`?days=`, `?format=csv`)',
    responses: {
      200: { description: 'Service figures (or CSV per day)', schema: 'ServiceInsights' },
      ...admin,
      422: problem('Bad days'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/customers',
    tag: CONSOLE,
    auth: 'admin',
    summary:
      'Customers with RFM, class, grid cell and treatment; filter `q`, `valueClass`, `volume`, `satisfaction`; sort; `format=csv`',
    responses: {
      200: { description: '`{ total, currency, items }` (or CSV)', schema: 'CustomerInsightList' },
      ...admin,
      422: problem('Bad filter'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/customers/{customerId}',
    tag: CONSOLE,
    auth: 'admin',
    summary:
      'One customer: value, grid cell, specs with versions (and the feedback that caused them), orders, feedback, complaints, remakes',
    responses: {
      200: { description: 'Customer page', schema: 'AdminCustomerPage' },
      ...admin,
      404: problem('Unknown customer'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/orders',
    tag: CONSOLE,
    auth: 'admin',
    summary:
      'Search orders by id, email, name, line id, spec code or tracking number; `status`, `partnerId`, `customerId`, `failed=1`, `from` (inclusive), `to` (exclusive): an ISO 8601 date (midnight UTC) or date-time (UTC when it has no offset), anything else is 422 naming the parameter; `format=csv`',
    responses: {
      200: { description: '`{ total, items }` (or CSV)', schema: 'AdminOrderSearch' },
      ...admin,
      422: problem('Bad filter'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/orders/{orderId}',
    tag: CONSOLE,
    auth: 'admin',
    summary:
      'One order: lines with routing reasons, deliveries with every attempt, inbound events, remakes, feedback, complaints',
    responses: {
      200: { description: 'Order detail', schema: 'AdminOrderDetail' },
      ...admin,
      404: problem('Unknown order'),
    },
  },
  {
    method: 'post',
    path: '/api/admin/orders/{orderId}/cancel',
    tag: CONSOLE,
    auth: 'admin',
    summary: 'Cancel an order for the customer (while no supplier has accepted it)',
    responses: {
      200: { description: 'Order detail', schema: 'AdminOrderDetail' },
      ...admin,
      404: problem('Unknown order'),
      409: problem('Already accepted'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/complaints',
    tag: CONSOLE,
    auth: 'admin',
    summary: 'Complaints, filter `status` and `category`',
    responses: {
      200: { description: 'Complaints with their customer', schema: 'AdminComplaint', array: true },
      ...admin,
      422: problem('Bad filter'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/complaints/{complaintId}',
    tag: CONSOLE,
    auth: 'admin',
    summary: 'One complaint with its messages and customer',
    responses: {
      200: { description: 'The complaint', schema: 'AdminComplaintDetail' },
      ...admin,
      404: problem('Unknown complaint'),
    },
  },
  {
    method: 'post',
    path: '/api/admin/complaints/{complaintId}/messages',
    tag: CONSOLE,
    auth: 'admin',
    summary: 'Reply to a complaint',
    responses: {
      200: { description: 'The complaint', schema: 'AdminComplaintDetail' },
      ...admin,
      404: problem('Unknown complaint'),
    },
  },
  {
    method: 'post',
    path: '/api/admin/complaints/{complaintId}/resolve',
    tag: CONSOLE,
    auth: 'admin',
    summary: 'Record the resolution',
    responses: {
      200: { description: 'The complaint', schema: 'AdminComplaintDetail' },
      ...admin,
      404: problem('Unknown complaint'),
      409: problem('Already resolved'),
    },
  },
];
