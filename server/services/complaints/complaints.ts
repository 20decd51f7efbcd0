import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import { writeTransaction } from '../../db/client';
import {
  type ComplaintCategory,
  type ComplaintRow,
  complaintMessages,
  complaints,
  customers,
} from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError } from '../../errors';
import { newId } from '../ids';
import { findOwnOrder } from '../orders/read';

// Complaints and questions about an order: recorded with a category, every customer contact
// counted (resolved with one contact = settled at the first contact), the resolution recorded.

type MessageRow = typeof complaintMessages.$inferSelect;

export function complaintView(row: ComplaintRow, messages?: MessageRow[]) {
  return {
    id: row.id,
    orderId: row.orderId,
    category: row.category,
    status: row.status,
    message: row.message,
    contacts: row.contacts,
    ...(row.resolution ? { resolution: row.resolution } : {}),
    ...(row.resolvedAt ? { resolvedAt: new Date(row.resolvedAt).toISOString() } : {}),
    resolvedAtFirstContact: row.status === 'resolved' && row.contacts <= 1,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    ...(messages
      ? {
          messages: messages.map((m) => ({
            author: m.author,
            body: m.body,
            at: new Date(m.at).toISOString(),
          })),
        }
      : {}),
  };
}

function messagesOf(deps: Pick<AppDeps, 'db'>, complaintId: string) {
  return deps.db
    .select()
    .from(complaintMessages)
    .where(eq(complaintMessages.complaintId, complaintId))
    .orderBy(asc(complaintMessages.at), asc(complaintMessages.id))
    .all();
}

export function openComplaint(
  deps: AppDeps,
  customerId: string,
  orderId: string,
  input: { category: ComplaintCategory; message: string },
) {
  findOwnOrder(deps, customerId, orderId);
  const at = deps.now().getTime();
  const row: ComplaintRow = {
    id: newId('cmp'),
    customerId,
    orderId,
    category: input.category,
    status: 'open',
    message: input.message.normalize('NFC').trim(),
    contacts: 1,
    resolution: null,
    resolvedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  writeTransaction(deps.sqlite, () => {
    deps.db.insert(complaints).values(row).run();
    deps.db
      .insert(complaintMessages)
      .values({ complaintId: row.id, author: 'customer', body: row.message, at })
      .run();
  });
  return complaintView(row, messagesOf(deps, row.id));
}

function findOwnComplaint(deps: AppDeps, customerId: string, complaintId: string): ComplaintRow {
  const row = deps.db
    .select()
    .from(complaints)
    .where(and(eq(complaints.id, complaintId), eq(complaints.customerId, customerId)))
    .get();
  if (!row) throw new DomainError('not_found', `There is no complaint "${complaintId}"`);
  return row;
}

function findComplaint(deps: AppDeps, complaintId: string): ComplaintRow {
  const row = deps.db.select().from(complaints).where(eq(complaints.id, complaintId)).get();
  if (!row) throw new DomainError('not_found', `There is no complaint "${complaintId}"`);
  return row;
}

export function listOwnComplaints(deps: AppDeps, customerId: string, orderId?: string) {
  // Someone else's (or no) order is 404, as on every other route under /api/orders/:orderId.
  if (orderId !== undefined) findOwnOrder(deps, customerId, orderId);
  const where = orderId
    ? and(eq(complaints.customerId, customerId), eq(complaints.orderId, orderId))
    : eq(complaints.customerId, customerId);
  return deps.db
    .select()
    .from(complaints)
    .where(where)
    .orderBy(desc(complaints.createdAt))
    .all()
    .map((r) => complaintView(r));
}

export function getOwnComplaint(deps: AppDeps, customerId: string, complaintId: string) {
  return complaintView(findOwnComplaint(deps, customerId, complaintId), messagesOf(deps, complaintId));
}

/**
 * The customer writes again: one more contact, and a resolved complaint opens again (its old
 * resolution stays in the conversation, not as the answer to a case that is open).
 */
export function customerFollowUp(deps: AppDeps, customerId: string, complaintId: string, body: string) {
  writeTransaction(deps.sqlite, () => {
    const row = findOwnComplaint(deps, customerId, complaintId);
    const at = deps.now().getTime();
    deps.db
      .update(complaints)
      .set({ contacts: row.contacts + 1, status: 'open', resolution: null, resolvedAt: null, updatedAt: at })
      .where(eq(complaints.id, row.id))
      .run();
    deps.db
      .insert(complaintMessages)
      .values({ complaintId, author: 'customer', body: body.normalize('NFC').trim(), at })
      .run();
  });
  return getOwnComplaint(deps, customerId, complaintId);
}

// --- operators

export function listComplaints(
  deps: AppDeps,
  q: {
    status?: 'open' | 'resolved' | undefined;
    category?: ComplaintCategory | undefined;
    limit: number;
    offset: number;
  },
) {
  const conds: SQL[] = [];
  if (q.status) conds.push(eq(complaints.status, q.status));
  if (q.category) conds.push(eq(complaints.category, q.category));
  const rows = deps.db
    .select({ c: complaints, name: customers.name, email: customers.email })
    .from(complaints)
    .innerJoin(customers, eq(customers.id, complaints.customerId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(complaints.createdAt))
    .limit(q.limit)
    .offset(q.offset)
    .all();
  return rows.map((r) => ({
    ...complaintView(r.c),
    customer: { id: r.c.customerId, name: r.name, email: r.email },
  }));
}

export function getComplaint(deps: AppDeps, complaintId: string) {
  const row = findComplaint(deps, complaintId);
  return { ...complaintView(row, messagesOf(deps, complaintId)), customerId: row.customerId };
}

export function operatorReply(deps: AppDeps, complaintId: string, body: string) {
  writeTransaction(deps.sqlite, () => {
    findComplaint(deps, complaintId);
    const at = deps.now().getTime();
    deps.db.update(complaints).set({ updatedAt: at }).where(eq(complaints.id, complaintId)).run();
    deps.db
      .insert(complaintMessages)
      .values({ complaintId, author: 'operator', body: body.normalize('NFC').trim(), at })
      .run();
  });
  return getComplaint(deps, complaintId);
}

/** Records how it was settled; 409 when it already is. */
export function resolveComplaint(deps: AppDeps, complaintId: string, resolution: string) {
  writeTransaction(deps.sqlite, () => {
    const row = findComplaint(deps, complaintId);
    if (row.status === 'resolved')
      throw new DomainError('conflict', 'This complaint is already resolved', {
        extra: { reason: 'already_resolved' },
      });
    const at = deps.now().getTime();
    const text = resolution.normalize('NFC').trim();
    deps.db
      .update(complaints)
      .set({ status: 'resolved', resolution: text, resolvedAt: at, updatedAt: at })
      .where(eq(complaints.id, complaintId))
      .run();
    deps.db.insert(complaintMessages).values({ complaintId, author: 'operator', body: text, at }).run();
  });
  return getComplaint(deps, complaintId);
}
