import { PROBLEM_BASE, PROBLEMS } from '../errors';
import { ALL_OPERATIONS, responsesOf } from './openapi';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const md = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

/** A readable API reference for integrators, rendered from the same operation list as the OpenAPI file. */
export function referencePage(): string {
  const tags = [...new Set(ALL_OPERATIONS.map((o) => o.tag))];
  const sections = tags
    .map((tag) => {
      const ops = ALL_OPERATIONS.filter((o) => o.tag === tag)
        .map(
          (o) => `<article id="${esc(o.method + o.path)}">
  <h3><span class="m ${o.method}">${o.method.toUpperCase()}</span> <code>${esc(o.path)}</code></h3>
  <p>${md(o.summary)}${o.auth ? ` <em>(${o.auth === 'session' ? 'signed-in customer' : o.auth === 'admin' ? 'Authorization: Bearer ADMIN_TOKEN' : 'signed by the partner'})</em>` : ''}</p>
  ${o.description ? `<p>${md(o.description)}</p>` : ''}
  ${o.headers?.length ? `<p>Headers: ${o.headers.map((h) => `<code>${esc(h.name)}</code>${h.required ? ' (required)' : ''}: ${md(h.description)}`).join('; ')}</p>` : ''}
  ${o.request ? `<p>Body: <a href="/api/openapi.json">${esc(o.request)}</a></p>` : ''}
  <ul>${Object.entries(responsesOf(o))
    .map(
      ([s, r]) =>
        `<li><b>${s}</b> ${md(r.description)}${r.schema ? ` <small>(${r.array ? 'array of ' : ''}${esc(r.schema)})</small>` : ''}</li>`,
    )
    .join('')}</ul>
</article>`,
        )
        .join('\n');
      return `<section><h2>${esc(tag)}</h2>${ops}</section>`;
    })
    .join('\n');
  const problems = Object.entries(PROBLEMS)
    .map(
      ([code, p]) =>
        `<tr id="${code}"><td><code>${PROBLEM_BASE}${code}</code></td><td>${p.status}</td><td>${esc(p.title)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tailorloop API reference</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
code{background:#f2f2f5;padding:0 .25em;border-radius:3px}
article{border-top:1px solid #ddd;padding:.5rem 0}
h3{font-size:1.05rem;margin:.5rem 0}
.m{display:inline-block;min-width:4.5em;font-size:.8em;padding:.1em .4em;border-radius:3px;color:#fff;text-align:center}
.get{background:#2a6f3f}.post{background:#1f4e8c}.patch{background:#8c5a1f}.delete{background:#8c1f1f}
table{border-collapse:collapse}td{border-top:1px solid #ddd;padding:.25rem .5rem;vertical-align:top}
</style></head><body>
<h1>Tailorloop API reference</h1>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). JSON in and out; money is integer minor units
with an ISO 4217 currency. Customers authenticate with the session cookie set by <code>/api/auth/register</code> and
<code>/api/auth/login</code>; mutations from other sites are refused. Every error is RFC 9457
<code>application/problem+json</code> with <code>type</code>, <code>title</code>, <code>status</code> and, for validation
failures, <code>errors: [{ path, code, message }]</code>. A path listed here asked with a method it does not list is
<b>405</b> with an <code>Allow</code> header (<code>OPTIONS</code> answers 204 with it); an unknown path is 404. Any route can
answer <b>503</b> <code>unavailable</code> with <code>Retry-After</code> when storage is full or failing or the server is
shutting down: nothing was done, so the same request (an order with the same <code>Idempotency-Key</code>) can be sent again.</p>
${sections}
<section><h2>Problem types</h2><table><tr><th>type</th><th>status</th><th>title</th></tr>${problems}</table></section>
</body></html>`;
}
