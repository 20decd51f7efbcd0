import { request } from '../api';

// The operations console's client: the admin endpoints with the operator's bearer token. The
// token lives in sessionStorage (gone when the tab closes) and is sent only to /api/admin/*.

const TOKEN_KEY = 'tl_admin_token';

export const adminToken = {
  get: (): string => (typeof sessionStorage === 'undefined' ? '' : (sessionStorage.getItem(TOKEN_KEY) ?? '')),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

function call<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
  admin = true,
): Promise<T> {
  // The shop's one API client does the fetch; the console only adds the operator's token.
  return request<T>(method, path, body, {
    ...(admin ? { authorization: `Bearer ${adminToken.get()}` } : {}),
    ...extraHeaders,
  });
}

const q = (params: Record<string, string | number | boolean | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== '' && v !== false) s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};
const id = encodeURIComponent;

export type Level = 'high' | 'medium' | 'low';

export interface CustomersOverview {
  asOf: string;
  currency: string;
  customers: number;
  activeCustomers: number;
  revenue: number;
  classes: {
    valueClass: string;
    customers: number;
    revenue: number;
    revenueShare: number;
    averageOrders: number;
  }[];
  pareto: {
    topFraction: number;
    topCustomers: number;
    topRevenue: number;
    topShare: number;
    curve: { customerShare: number; revenueShare: number }[];
  };
  grid: {
    volume: Level;
    satisfaction: Level;
    strategy: string;
    treatment: string;
    customers: number;
    revenue: number;
    preview: { id: string; name: string; revenue: number; valueClass: string }[];
  }[];
}

export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  orders: number;
  revenue: number;
  lastOrderAt: string | null;
  recencyDays: number | null;
  rfm: string;
  valueClass: string;
  volume: Level;
  satisfaction: Level;
  satisfactionScore: number;
  treatment: string;
}

export interface OrderRow {
  id: string;
  status: string;
  currency: string;
  total: number;
  createdAt: string;
  customer: { id: string; name: string; email: string };
  lines: number;
  suppliers: string[];
  threePlId: string;
  failedDeliveries: number;
  isRemake: boolean;
}

export interface Delivery {
  id: string;
  partnerId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    statusCode: number | null;
    error: string | null;
    outcome: string;
  }[];
}

// biome-ignore lint/suspicious/noExplicitAny: detail pages render server JSON defensively
export type Loose = any;

export interface WindowStats {
  attempts: number;
  succeeded: number;
  successRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface PartnerInsight {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  disabledReason?: string | null;
  url: string | null;
  failedDeliveries: number;
  delivery: { last24h: WindowStats; last7d: WindowStats };
  quality?: {
    lines: number;
    rejected: number;
    rejectionRate: number;
    remakes: number;
    remakesFit: number;
    remakesDefect: number;
    remakeRate: number;
    daysToProducedP50: number | null;
    daysToProducedP90: number | null;
  } | null;
}

export interface ServiceInsights {
  from: string;
  to: string;
  days: { day: string; feedbackRight: number; feedbackAdjust: number; complaints: Record<string, number> }[];
  categories: string[];
  feedback: { total: number; right: number; adjust: number };
  complaints: {
    total: number;
    open: number;
    resolved: number;
    resolvedFirstContact: number;
    firstContactResolutionRate: number | null;
    byCategory: { category: string; total: number; open: number; resolvedFirstContact: number }[];
  };
  areas: { productId: string; area: string; answers: Record<string, number>; total: number }[];
  modulesAdjusted: {
    productId: string;
    module: string;
    count: number;
    topFrom: { option: string; count: number }[];
  }[];
}

export interface ComplaintRow {
  id: string;
  orderId: string;
  category: string;
  status: 'open' | 'resolved';
  message: string;
  contacts: number;
  resolution?: string;
  resolvedAt?: string;
  resolvedAtFirstContact: boolean;
  createdAt: string;
  updatedAt: string;
  customer?: { id: string; name: string; email: string };
  messages?: { author: 'customer' | 'operator'; body: string; at: string }[];
}

/** The complaints list loads at most this many, newest first (the API answers no total). */
export const COMPLAINT_LIST_LIMIT = 500;

export const adminApi = {
  /** Whether the shop accepts `token` (the smallest admin list; 401 when it does not). */
  checkToken: (token: string) =>
    request<unknown>('GET', '/api/admin/partners', undefined, { authorization: `Bearer ${token}` }),
  customersOverview: () => call<CustomersOverview>('GET', '/api/admin/insights/customers'),
  customers: (p: {
    q?: string;
    valueClass?: string;
    volume?: string;
    satisfaction?: string;
    limit?: number;
  }) =>
    call<{ total: number; currency: string; items: CustomerRow[] }>(
      'GET',
      `/api/admin/customers${q({ limit: 200, ...p })}`,
    ),
  customer: (customerId: string) => call<Loose>('GET', `/api/admin/customers/${id(customerId)}`),
  orders: (p: {
    q?: string;
    status?: string;
    failed?: boolean;
    partnerId?: string;
    limit?: number;
    offset?: number;
  }) => call<{ total: number; items: OrderRow[] }>('GET', `/api/admin/orders${q({ limit: 50, ...p })}`),
  order: (orderId: string) => call<Loose>('GET', `/api/admin/orders/${id(orderId)}`),
  cancelOrder: (orderId: string) => call<Loose>('POST', `/api/admin/orders/${id(orderId)}/cancel`),
  /** `note` when the delivery will wait: its partner is disabled or has no URL, or an attempt is in flight. */
  redeliver: (deliveryId: string) =>
    call<{ id: string; status: string; nextAttemptAt?: string; note?: string }>(
      'POST',
      `/api/admin/deliveries/${id(deliveryId)}/redeliver`,
    ),
  failedDeliveries: () =>
    call<
      {
        id: string;
        partnerId: string;
        eventType: string;
        orderId: string | null;
        attempts: number;
        lastStatusCode?: number | null;
        lastError?: string | null;
      }[]
    >('GET', '/api/admin/deliveries?status=failed&limit=200'),
  updatePartner: (partnerId: string, patch: { url?: string | null; enabled?: boolean }) =>
    call<{ id: string; url: string | null; enabled: boolean; disabledReason?: string | null }>(
      'PATCH',
      `/api/admin/partners/${id(partnerId)}`,
      patch,
    ),
  rotateSecret: (partnerId: string) =>
    call<{ secret: string }>('POST', `/api/admin/partners/${id(partnerId)}/rotate-secret`, {}),
  complaints: (p: { status?: string; category?: string }) =>
    call<ComplaintRow[]>('GET', `/api/admin/complaints${q({ limit: COMPLAINT_LIST_LIMIT, ...p })}`),
  complaint: (complaintId: string) => call<ComplaintRow>('GET', `/api/admin/complaints/${id(complaintId)}`),
  replyComplaint: (complaintId: string, message: string) =>
    call<ComplaintRow>('POST', `/api/admin/complaints/${id(complaintId)}/messages`, { message }),
  resolveComplaint: (complaintId: string, resolution: string) =>
    call<ComplaintRow>('POST', `/api/admin/complaints/${id(complaintId)}/resolve`, { resolution }),
  partners: (days = 90) =>
    call<{ asOf: string; partners: PartnerInsight[] }>('GET', `/api/admin/insights/partners${q({ days })}`),
  service: (days = 90) => call<ServiceInsights>('GET', `/api/admin/insights/service${q({ days })}`),
};

// --- the customer side of the learning loop (session cookie, no admin token)

export type FitAnswer = 'too_tight' | 'right' | 'too_loose' | 'too_short' | 'too_long';

export interface FitArea {
  id: string;
  label: string;
  question: string;
  scale: 'tightness' | 'length';
  answers: FitAnswer[];
}

export interface Proposal {
  before: { specCode: string; options: { moduleId: string; optionId: string; label: string }[] };
  after: { specCode: string; unitPrice: number; currency: string; selection: Record<string, string> };
  changes: { module: string; fromLabel?: string; toLabel?: string; why: string }[];
  summary: string[];
  unchanged: boolean;
}

export interface Feedback {
  id: string;
  lineId: string;
  verdict: 'right' | 'adjust';
  decision: 'none' | 'pending' | 'accepted' | 'declined';
  proposal: Proposal | null;
  /** When it was accepted or declined. */
  decidedAt?: string;
  resultSpec?: { id: string; version: number };
}

export interface FeedbackQuestions {
  orderId: string;
  status: string;
  open: boolean;
  lines: {
    lineId: string;
    productId: string;
    specCode: string;
    areas: FitArea[];
    feedback: Feedback | null;
  }[];
}

const customer = <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call<T>(method, path, body, headers, false);

export const loopApi = {
  questions: (orderId: string) => customer<FeedbackQuestions>('GET', `/api/orders/${id(orderId)}/feedback`),
  submit: (orderId: string, lineId: string, answers: Record<string, FitAnswer>, comment?: string) =>
    customer<Feedback>('POST', `/api/orders/${id(orderId)}/lines/${id(lineId)}/feedback`, {
      answers,
      ...(comment ? { comment } : {}),
    }),
  accept: (feedbackId: string) =>
    customer<{ spec: { id: string; name: string; version: number; specCode: string }; feedback: Feedback }>(
      'POST',
      `/api/feedback/${id(feedbackId)}/accept`,
    ),
  decline: (feedbackId: string) => customer<Feedback>('POST', `/api/feedback/${id(feedbackId)}/decline`),
  remake: (orderId: string, lineId: string, reason: 'fit' | 'defect' | 'other', detail?: string) =>
    customer<{ order: { id: string }; allowance: { used: number; limit: number; remaining: number } }>(
      'POST',
      `/api/orders/${id(orderId)}/lines/${id(lineId)}/remake`,
      { reason, ...(detail ? { detail } : {}) },
    ),
  complain: (orderId: string, category: string, message: string) =>
    customer<{ id: string; status: string }>('POST', `/api/orders/${id(orderId)}/complaints`, {
      category,
      message,
    }),
  order: (orderId: string) => customer<Loose>('GET', `/api/orders/${id(orderId)}`),
};
