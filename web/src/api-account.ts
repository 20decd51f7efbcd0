import {
  type Me,
  type Measurements,
  type Order,
  type OrderLineInput,
  type Quote,
  request,
  type ShipTo,
  type Spec,
  type SpecVersion,
} from './api';
import type { Selection } from './engine';

// The endpoints of the account pages (sign-in, specs, orders, checkout). They go through the same
// `request` as api.ts, but live apart so that the shell chunk every page loads does not carry
// them: only lazy pages and stores import this module (docs/decisions/034).
export const accountApi = {
  register: (input: { email: string; password: string; name: string }) =>
    request<Me | undefined>('POST', '/api/auth/register', input),
  login: (input: { email: string; password: string }) =>
    request<Me | undefined>('POST', '/api/auth/login', input),

  quote: (productId: string, selection: Selection) =>
    request<Quote>('POST', '/api/quote', { productId, selection }),

  specs: () => request<Spec[]>('GET', '/api/specs'),
  specVersions: (id: string) =>
    request<SpecVersion[]>('GET', `/api/specs/${encodeURIComponent(id)}/versions`),
  createSpec: (input: {
    name: string;
    productId: string;
    selection: Selection;
    measurements?: Measurements;
  }) => request<Spec>('POST', '/api/specs', input),
  updateSpec: (id: string, patch: Partial<Pick<Spec, 'name' | 'selection' | 'measurements'>>) =>
    request<Spec>('PATCH', `/api/specs/${encodeURIComponent(id)}`, patch),
  deleteSpec: (id: string) => request<void>('DELETE', `/api/specs/${encodeURIComponent(id)}`),

  orders: () => request<Order[]>('GET', '/api/orders'),
  order: (id: string) => request<Order>('GET', `/api/orders/${encodeURIComponent(id)}`),
  placeOrder: (input: { lines: OrderLineInput[]; shipTo: ShipTo }, idempotencyKey: string) =>
    request<Order>('POST', '/api/orders', input, { 'idempotency-key': idempotencyKey }),
  cancelOrder: (id: string) => request<Order>('POST', `/api/orders/${encodeURIComponent(id)}/cancel`),
};
