import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import type { JSX } from 'solid-js';
import jeansJson from '../../catalog/products/jeans.json';
import shirtJson from '../../catalog/products/shirt.json';
import type { ProductSource } from '../../catalog/schema';
import type { ProductDetail } from './api';
import { compile } from './engine';
import type { LoadedProduct } from './stores/catalog';

/** A catalog product compiled the way the page compiles what GET /api/products/:id serves. */
export function loaded(id: 'jeans' | 'shirt', edit?: (p: ProductDetail) => void): LoadedProduct {
  const source = (id === 'jeans' ? jeansJson : shirtJson) as unknown as ProductSource;
  const expanded = compile(source).product;
  const product = structuredClone({ ...expanded, catalogVersion: expanded.version }) as ProductDetail;
  edit?.(product);
  return { product, cp: compile(product) };
}

/** Renders `view` at `url` inside a memory router; returns the history to inspect the URL. */
export function withRouter(url: string, view: () => JSX.Element) {
  const history = createMemoryHistory();
  history.set({ value: url });
  const App = () => (
    <MemoryRouter history={history}>
      <Route path="*" component={view} />
    </MemoryRouter>
  );
  return { App, history };
}

/** A fetch stub answering by "METHOD /path" with JSON (status 2xx) or problem+json. */
export function stubFetch(
  routes: Record<string, (init: RequestInit | undefined, url: string) => { status: number; body?: unknown }>,
) {
  const calls: Array<{ key: string; init: RequestInit | undefined }> = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const key = `${init?.method ?? 'GET'} ${url.replace(/^https?:\/\/[^/]+/, '')}`;
    calls.push({ key, init });
    const route = routes[key] ?? Object.entries(routes).find(([k]) => key.startsWith(k))?.[1];
    if (!route) return new Response(JSON.stringify({ title: 'Not found', status: 404 }), { status: 404 });
    const r = route(init, url);
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: { 'content-type': r.status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  };
  globalThis.fetch = fn as typeof fetch;
  return calls;
}
