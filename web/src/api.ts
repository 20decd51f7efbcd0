import type { Product, Selection } from './engine';

// The one place that talks to the server. Every non-2xx answer becomes an ApiError carrying the
// problem+json fields, so a form can put each `errors[]` entry next to the field it names.

export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[];
  /** Seconds to wait before trying again (a 429 or 503 says it). */
  readonly retryAfter: number | undefined;
  constructor(status: number, problem: Partial<Problem>) {
    const title = problem.title ?? (status === 0 ? 'Network error' : `Request failed (${status})`);
    super(problem.detail ? `${title}: ${problem.detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.type = problem.type ?? 'about:blank';
    this.title = title;
    this.detail = problem.detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    const wait = problem.retryAfter;
    this.retryAfter = typeof wait === 'number' && Number.isFinite(wait) && wait > 0 ? wait : undefined;
  }
  /** The message for one field or module (matches `path` exactly or as its first segment). */
  errorFor(path: string): string | undefined {
    const hit = this.errors.find(
      (e) => e.path === path || e.path.split(/[./]/).pop() === path || e.path.endsWith(`.${path}`),
    );
    return hit?.message;
  }
  /** A readable sentence for the whole failure. */
  get readable(): string {
    if (this.status === 0) return 'Could not reach the shop. Check your connection and try again.';
    return this.detail ?? this.title;
  }
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldProblem[];
  retryAfter: number;
}

export interface ProductSummary {
  id: string;
  name: string;
  description?: string;
  currency: string;
  basePrice: number;
}
export type ProductDetail = Product & { catalogVersion: string };

export interface Me {
  id: string;
  email: string;
  name: string;
}

export interface Spec {
  id: string;
  name: string;
  productId: string;
  selection: Selection;
  specCode: string;
  measurements?: Measurements | null;
  catalogVersion: string;
  createdAt: string;
  updatedAt: string;
  /** Optional extras a server may add: the price when saved and earlier versions. */
  price?: { currency: string; total: number };
  history?: Array<{ at: string; name?: string; selection?: Selection; specCode?: string; change?: string }>;
  /** GET /api/specs/:id: whether the spec still holds in today's catalog. */
  validity?: SpecValidity;
}
/** How a remembered choice fares in today's catalog (spec validity, reorder drafts: decision 014). */
export interface ModuleChange {
  module: string;
  from?: string;
  fromLabel?: string;
  to?: string;
  toLabel?: string;
  /** `retired`, `conflict`, `new_module`, `module_retired`, `text_invalid`, `text_required` (in the shop's words: CHANGE_WORDS, components/Timeline.tsx). */
  why: string;
}

export interface SpecValidity {
  valid: boolean;
  catalogVersion: string | null;
  productAvailable: boolean;
  changes: ModuleChange[];
  /** `complete: false`: the rules now ask for text the spec lacks (a monogram), to be typed first. */
  alternative?: { selection: Selection; specCode: string; complete?: boolean };
}
export interface SpecVersion {
  version?: number;
  name: string;
  selection: Selection;
  specCode: string;
  catalogVersion: string;
  createdAt: string;
}
export interface Measurements {
  unit: 'in' | 'cm';
  values: Record<string, number>;
}

export interface ShipTo {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

export type OrderStatus =
  | 'placed'
  | 'in_production'
  | 'produced'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  | 'rejected';

export interface OrderLine {
  id: string;
  productId: string;
  /** The name it was ordered under (absent on orders from before it was recorded). */
  productName?: string;
  selection: Selection;
  specCode: string;
  /** What each option was called when ordered (the line's immutable snapshot). */
  options?: Array<{ moduleId: string; optionId: string; label: string }>;
  quantity: number;
  unitPrice: number;
  supplierId: string;
  specId?: string | null;
  status?: string;
}
export interface Order {
  id: string;
  status: OrderStatus;
  currency: string;
  total: number;
  createdAt: string;
  lines: OrderLine[];
  shipTo: ShipTo;
  threePlId: string;
  /** `source` says who: `customer`, `operator` (the shop), `system` or `partner:<id>`. */
  events: Array<{ status: string; at: string; detail?: unknown; source?: string }>;
  shipments: Array<{ carrier: string; trackingNumber: string; trackingUrl?: string | null }>;
}

export type OrderLineInput =
  | { productId: string; selection: Selection; quantity: number; measurements?: Measurements }
  | { specId: string; quantity: number };

/** POST /api/orders/:orderId/reorder: a past order re-checked against today's catalog (decision 014). */
export interface ReorderDraft {
  currency: string | null;
  totalThen: number | null;
  totalNow: number;
  lines: Array<{
    productId: string;
    quantity: number;
    /** A line bought from a saved spec that still exists. */
    specId?: string;
    orderable: boolean;
    changed: boolean;
    then: { specCode: string; unitPrice: number | null };
    now: { specCode: string; unitPrice: number; selection: Selection } | null;
    changes: ModuleChange[];
    errors: FieldProblem[];
  }>;
  orderRequest: { lines: OrderLineInput[]; shipTo?: ShipTo };
}

export interface Quote {
  valid: true;
  specCode: string;
  price: { currency: string; total: number; lines: Array<{ label: string; amount: number }> };
}

/** The one place the page calls fetch: JSON in, JSON out, any non-2xx thrown as an ApiError. */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {});
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const problem = (data && typeof data === 'object' ? data : {}) as Partial<Problem>;
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

// A product request started early (see main.tsx), handed to the first caller that asks for it.
const early = new Map<string, Promise<ProductDetail>>();

// Only what the shell and a first visit to a product page call (plus the spec SaveSpec opens);
// the signed-in pages' endpoints are in api-account.ts, out of the first load (decision 034).
export const api = {
  products: () => request<ProductSummary[]>('GET', '/api/products'),
  product: (id: string) => {
    const started = early.get(id);
    early.delete(id);
    return started ?? request<ProductDetail>('GET', `/api/products/${encodeURIComponent(id)}`);
  },
  /** Starts fetching a product before the page that needs it has loaded its code. */
  prefetchProduct(id: string): void {
    if (early.has(id)) return;
    const p = request<ProductDetail>('GET', `/api/products/${encodeURIComponent(id)}`);
    p.catch(() => early.delete(id));
    early.set(id, p);
  },

  me: () => request<Me>('GET', '/api/me'),
  logout: () => request<void>('POST', '/api/auth/logout'),

  spec: (id: string) => request<Spec>('GET', `/api/specs/${encodeURIComponent(id)}`),
};
