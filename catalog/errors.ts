/** One problem in a catalog file: where it is and what is wrong. */
export interface CatalogIssue {
  file: string;
  /** JSON path inside the file, e.g. `rules[3].when[0].module`. */
  path: string;
  message: string;
}

/** A catalog that cannot be loaded. The message lists every issue as `file: path: reason`. */
export class CatalogError extends Error {
  readonly issues: CatalogIssue[];
  constructor(issues: CatalogIssue[]) {
    super(
      `Invalid catalog:\n${issues.map((i) => `  ${i.file}${i.path ? `: ${i.path}` : ''}: ${i.message}`).join('\n')}`,
    );
    this.name = 'CatalogError';
    this.issues = issues;
  }
}

/** A misuse of the engine at run time (not a bad selection, which is reported, not thrown). */
export class EngineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** `a.b[2].c` from path segments. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}
