import { and, asc, desc, eq } from 'drizzle-orm';
import {
  type CompiledProduct,
  EngineError,
  type FitAnswer,
  price,
  proposeAdjustment,
  type Selection,
  specCode,
  validate,
} from '../../../catalog/index';
import { writeTransaction } from '../../db/client';
import { type FitFeedbackRow, fitAdjustments, fitFeedback, orderLines, specs } from '../../db/schema/index';
import type { AppDeps } from '../../deps';
import { DomainError, type FieldError } from '../../errors';
import { checkConfiguration, snapshotOptions } from '../catalog/configuration';
import { newId } from '../ids';
import { findOwnOrder } from '../orders/read';
import { reorderFromSpec } from '../orders/reorder';
import { saveSpec } from '../specs/save';
import { updateSpec } from '../specs/update';

// The learning loop, customer side: after delivery, structured fit answers per area → the
// engine's proposal (always a valid configuration of today's catalog) → accept (a new spec
// version, linked to the order and this feedback; the next reorder uses it) or decline.

const TIGHTNESS: readonly FitAnswer[] = ['too_tight', 'right', 'too_loose'];
const LENGTH: readonly FitAnswer[] = ['too_short', 'right', 'too_long'];

export interface Proposal {
  before: {
    selection: Selection;
    specCode: string;
    options: { moduleId: string; optionId: string; label: string }[];
  };
  after: {
    selection: Selection;
    specCode: string;
    options: { moduleId: string; optionId: string; label: string }[];
    unitPrice: number;
    currency: string;
  };
  changes: {
    module: string;
    from?: string;
    to?: string;
    why: string;
    fromLabel?: string;
    toLabel?: string;
  }[];
  summary: string[];
  unchanged: boolean;
}

export function feedbackView(row: FitFeedbackRow) {
  return {
    id: row.id,
    orderId: row.orderId,
    lineId: row.lineId,
    productId: row.productId,
    ...(row.specId ? { specId: row.specId, specVersion: row.specVersion } : {}),
    answers: JSON.parse(row.answers) as Record<string, FitAnswer>,
    verdict: row.verdict,
    ...(row.comment ? { comment: row.comment } : {}),
    proposal: row.proposal ? (JSON.parse(row.proposal) as Proposal) : null,
    decision: row.decision,
    ...(row.decidedAt ? { decidedAt: new Date(row.decidedAt).toISOString() } : {}),
    ...(row.resultSpecId ? { resultSpec: { id: row.resultSpecId, version: row.resultSpecVersion } } : {}),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function plainOptions(cp: CompiledProduct, selection: Selection) {
  return snapshotOptions(cp, selection).map(({ attrs: _a, ...o }) => o);
}

function lineOf(deps: AppDeps, orderId: string, lineId: string) {
  const line = deps.db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.id, lineId), eq(orderLines.orderId, orderId)))
    .get();
  if (!line) throw new DomainError('not_found', `Order ${orderId} has no line "${lineId}"`);
  return line;
}

/** The fit questions for each line of a delivered order, with any feedback already given. */
export function feedbackQuestions(deps: AppDeps, customerId: string, orderId: string) {
  const order = findOwnOrder(deps, customerId, orderId);
  const lines = deps.db
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.position))
    .all();
  const given = new Map(
    deps.db
      .select()
      .from(fitFeedback)
      .where(eq(fitFeedback.orderId, orderId))
      .all()
      .map((f) => [f.lineId, f]),
  );
  return {
    orderId,
    status: order.status,
    open: order.status === 'delivered',
    lines: lines.map((l) => {
      const cp = deps.catalog.products.get(l.productId);
      const f = given.get(l.id);
      return {
        lineId: l.id,
        productId: l.productId,
        specCode: l.specCode,
        areas: (cp?.product.fitFeedback?.areas ?? []).map((a) => ({
          id: a.id,
          label: a.label,
          question: a.question,
          scale: a.scale,
          answers: a.scale === 'tightness' ? TIGHTNESS : LENGTH,
        })),
        feedback: f ? feedbackView(f) : null,
      };
    }),
  };
}

/** Answers checked against the product's fit areas: 422 naming each wrong one. */
function checkAnswers(cp: CompiledProduct, answers: Record<string, string>): Record<string, FitAnswer> {
  const areas = cp.product.fitFeedback?.areas ?? [];
  const errors: FieldError[] = [];
  for (const [areaId, answer] of Object.entries(answers)) {
    const area = areas.find((a) => a.id === areaId);
    if (!area) {
      errors.push({
        path: `answers.${areaId}`,
        code: 'unknown_area',
        message: `${cp.product.name} has no fit area "${areaId}" (areas: ${areas.map((a) => a.id).join(', ')})`,
      });
      continue;
    }
    const allowed = area.scale === 'tightness' ? TIGHTNESS : LENGTH;
    if (!(allowed as readonly string[]).includes(answer))
      errors.push({
        path: `answers.${areaId}`,
        code: 'invalid_answer',
        message: `${area.label}: answer one of ${allowed.join(', ')}`,
      });
  }
  if (Object.keys(answers).length === 0)
    errors.push({ path: 'answers', code: 'too_small', message: 'answer at least one fit question' });
  if (errors.length) throw new DomainError('validation_failed', 'Some fit answers are wrong', { errors });
  return answers as Record<string, FitAnswer>;
}

/** Builds the before/after the customer sees, from the engine's adjustment. */
export function buildProposal(
  cp: CompiledProduct,
  selection: Selection,
  answers: Record<string, FitAnswer>,
): Proposal {
  let adj: ReturnType<typeof proposeAdjustment>;
  try {
    adj = proposeAdjustment(cp, selection, answers);
  } catch (e) {
    if (e instanceof EngineError)
      throw new DomainError('validation_failed', e.message, {
        errors: [{ path: 'answers', code: e.code, message: e.message }],
      });
    throw e;
  }
  const label = (moduleId: string, optionId: string | undefined) => {
    if (optionId === undefined) return undefined;
    const m = cp.modules[cp.moduleIndex.get(moduleId) ?? -1];
    const i = m?.optionIndex.get(optionId);
    return m && i !== undefined ? m.optionLabels[i] : optionId;
  };
  const after = price(cp, adj.selection);
  return {
    before: { selection, specCode: specCode(cp, selection), options: plainOptions(cp, selection) },
    after: {
      selection: adj.selection,
      specCode: specCode(cp, adj.selection),
      options: plainOptions(cp, adj.selection),
      unitPrice: after.total,
      currency: after.currency,
    },
    changes: adj.changes.map((c) => ({
      module: c.module,
      ...(c.from !== undefined ? { from: c.from, fromLabel: label(c.module, c.from) } : {}),
      ...(c.to !== undefined ? { to: c.to, toLabel: label(c.module, c.to) } : {}),
      why: c.why,
    })),
    summary: adj.summary,
    unchanged: adj.unchanged,
  };
}

/**
 * Records fit feedback on one line of a delivered order (once per line) and, when something is
 * off, the engine's proposal, waiting for the customer's decision.
 */
export function submitFeedback(
  deps: AppDeps,
  customerId: string,
  orderId: string,
  lineId: string,
  input: { answers: Record<string, string>; comment?: string | undefined },
) {
  const order = findOwnOrder(deps, customerId, orderId);
  const line = lineOf(deps, orderId, lineId);
  if (order.status !== 'delivered')
    throw new DomainError(
      'conflict',
      `Fit feedback opens once the order is delivered (it is ${order.status})`,
      {
        extra: { reason: 'not_delivered', orderStatus: order.status },
      },
    );
  const cp = deps.catalog.products.get(line.productId);
  if (!cp)
    throw new DomainError('conflict', `"${line.productId}" is no longer sold; there is nothing to adjust`);
  const answers = checkAnswers(cp, input.answers);
  const selection = JSON.parse(line.selection) as Selection;
  const verdict = Object.values(answers).every((a) => a === 'right') ? 'right' : 'adjust';
  const proposal = verdict === 'adjust' ? buildProposal(cp, selection, answers) : null;
  const spec = line.specId
    ? deps.db
        .select({ version: specs.version })
        .from(specs)
        .where(and(eq(specs.id, line.specId), eq(specs.customerId, customerId)))
        .get()
    : undefined;
  const row: FitFeedbackRow = {
    id: newId('fb'),
    customerId,
    orderId,
    lineId,
    productId: line.productId,
    specId: spec ? line.specId : null,
    specVersion: spec?.version ?? null,
    answers: JSON.stringify(answers),
    verdict,
    comment: input.comment?.normalize('NFC').trim() || null,
    proposal: proposal ? JSON.stringify(proposal) : null,
    decision: proposal && !proposal.unchanged ? 'pending' : 'none',
    decidedAt: null,
    resultSpecId: null,
    resultSpecVersion: null,
    createdAt: deps.now().getTime(),
  };
  writeTransaction(deps.sqlite, () => {
    const existing = deps.db
      .select({ id: fitFeedback.id })
      .from(fitFeedback)
      .where(eq(fitFeedback.lineId, lineId))
      .get();
    if (existing)
      throw new DomainError('conflict', 'Feedback on this line was already given', {
        extra: { reason: 'feedback_exists', feedbackId: existing.id },
      });
    deps.db.insert(fitFeedback).values(row).run();
  });
  return feedbackView(row);
}

export function findOwnFeedback(deps: AppDeps, customerId: string, feedbackId: string): FitFeedbackRow {
  const row = deps.db
    .select()
    .from(fitFeedback)
    .where(and(eq(fitFeedback.id, feedbackId), eq(fitFeedback.customerId, customerId)))
    .get();
  if (!row) throw new DomainError('not_found', `There is no feedback "${feedbackId}"`);
  return row;
}

export function listFeedback(deps: AppDeps, customerId: string) {
  return deps.db
    .select()
    .from(fitFeedback)
    .where(eq(fitFeedback.customerId, customerId))
    .orderBy(desc(fitFeedback.createdAt))
    .all()
    .map(feedbackView);
}

function requirePending(row: FitFeedbackRow) {
  if (row.decision !== 'pending')
    throw new DomainError(
      'conflict',
      row.decision === 'none'
        ? 'There is no proposal to decide on'
        : `This proposal was already ${row.decision}`,
      { extra: { reason: 'already_decided', decision: row.decision } },
    );
}

/**
 * Accepts the proposal: the spec the line was ordered from gets a new version with the proposed
 * selection (or, for a line bought without a saved spec, a new spec is saved), the feedback
 * records which version it caused, and each changed module is logged for "which sizes run
 * small". Returns the reorder draft that now uses the adjusted spec.
 */
export function acceptFeedback(deps: AppDeps, customerId: string, feedbackId: string) {
  const result = writeTransaction(deps.sqlite, () => {
    const row = findOwnFeedback(deps, customerId, feedbackId);
    requirePending(row);
    const proposal = JSON.parse(row.proposal!) as Proposal;
    const cp = deps.catalog.products.get(row.productId);
    if (!cp) throw new DomainError('conflict', `"${row.productId}" is no longer sold`);
    // Re-checked: the catalog may have moved since the proposal was made.
    checkConfiguration(cp, proposal.after.selection, 'proposal.');
    const current =
      row.specId === null
        ? undefined
        : deps.db
            .select({ selection: specs.selection })
            .from(specs)
            .where(and(eq(specs.id, row.specId), eq(specs.customerId, customerId)))
            .get();
    const spec = current
      ? updateSpec(deps, customerId, row.specId!, {
          selection: adjustedSpecSelection(cp, JSON.parse(current.selection) as Selection, proposal),
        })
      : saveSpec(deps, customerId, {
          name: `${cp.product.name} (adjusted after order ${row.orderId.slice(0, 12)})`,
          productId: cp.product.id,
          selection: proposal.after.selection,
        });
    const at = deps.now().getTime();
    deps.db
      .update(fitFeedback)
      .set({ decision: 'accepted', decidedAt: at, resultSpecId: spec.id, resultSpecVersion: spec.version })
      .where(eq(fitFeedback.id, row.id))
      .run();
    for (const c of proposal.changes)
      deps.db
        .insert(fitAdjustments)
        .values({
          feedbackId: row.id,
          productId: row.productId,
          module: c.module,
          fromOption: c.from ?? null,
          toOption: c.to ?? null,
          createdAt: at,
        })
        .run();
    return { spec, feedback: feedbackView(findOwnFeedback(deps, customerId, feedbackId)) };
  });
  return { ...result, reorder: reorderFromSpec(deps, customerId, result.spec.id) };
}

/**
 * The spec's selection today with only the proposal's changes applied. The proposal was made from
 * the line as bought; the customer may have edited the spec since (another wash, another fit), and
 * accepting a new waist size must not undo that. 409 when the two no longer go together.
 */
function adjustedSpecSelection(cp: CompiledProduct, current: Selection, proposal: Proposal): Selection {
  const next: Selection = { ...current };
  for (const c of proposal.changes) {
    if (c.to === undefined) delete next[c.module];
    else next[c.module] = c.to;
  }
  const ok = (sel: Selection) => {
    const v = validate(cp, sel);
    return v.valid && v.complete;
  };
  if (ok(next)) return next;
  // A spec that today's catalog no longer makes as it is (a retired option) takes the proposal whole.
  if (!ok(current)) return proposal.after.selection;
  throw new DomainError(
    'conflict',
    'Your saved spec was changed after this order, and the proposed fit no longer goes with those changes; adjust the spec itself instead',
    { extra: { reason: 'spec_changed' } },
  );
}

export function declineFeedback(deps: AppDeps, customerId: string, feedbackId: string) {
  return writeTransaction(deps.sqlite, () => {
    const row = findOwnFeedback(deps, customerId, feedbackId);
    requirePending(row);
    deps.db
      .update(fitFeedback)
      .set({ decision: 'declined', decidedAt: deps.now().getTime() })
      .where(eq(fitFeedback.id, row.id))
      .run();
    return feedbackView(findOwnFeedback(deps, customerId, feedbackId));
  });
}
