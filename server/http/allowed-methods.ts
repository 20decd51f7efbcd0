const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The methods the app serves at a path, for a 405's `Allow` header and for OPTIONS. The table
 * is built from the registered routes on the first miss, so a request that matched a route
 * never pays for it. Middleware (`ALL`) and wildcard routes (the static site) are left out:
 * they do not make a path a resource.
 */
export function allowedMethodsOf(app: { routes: ReadonlyArray<{ method: string; path: string }> }) {
  let table: Array<{ method: string; pattern: RegExp }> | undefined;
  return (path: string): string[] => {
    table ??= app.routes
      .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
      .map((r) => ({ method: r.method.toUpperCase(), pattern: routePattern(r.path) }));
    const methods = new Set<string>();
    for (const r of table) if (r.pattern.test(path)) methods.add(r.method);
    if (methods.has('GET')) methods.add('HEAD');
    return METHOD_ORDER.filter((m) => methods.has(m));
  };
}

function routePattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
