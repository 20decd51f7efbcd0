import { type PayloadLine, productionRequested } from '../orders/payloads';

export interface RemakeInfo {
  parentOrderId: string;
  parentLineId: string;
  reason: string;
  detail: string;
}

/**
 * `production.requested` for a remake: the ordinary payload (CONTRACT.md) plus `data.remake`,
 * so the supplier knows which order it replaces and why (a fit change, a defect to avoid).
 */
export function remakeProductionPayload(
  at: Date,
  order: { id: string; threePlId: string },
  lines: PayloadLine[],
  remake?: RemakeInfo,
): string {
  const body = productionRequested(at, order, lines);
  if (!remake) return body;
  const parsed = JSON.parse(body) as { type: string; timestamp: string; data: Record<string, unknown> };
  parsed.data.remake = remake;
  return JSON.stringify(parsed);
}
