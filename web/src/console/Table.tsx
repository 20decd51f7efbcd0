import { createMemo, createSignal, For, type JSX } from 'solid-js';
import { downloadCsv, toCsv } from './csv';

export interface Column<T> {
  key: string;
  header: string;
  /** The value sorted on and exported. */
  value: (row: T) => string | number | null | undefined;
  /** How the cell looks (defaults to the value). */
  render?: (row: T) => JSX.Element;
  numeric?: boolean;
  /**
   * The column(s) this one becomes in the CSV export, when the value sorted on is not what the
   * table shows (minor units shown as "$89.00", a score shown as "medium", an email shown beside
   * the name). Defaults to the header and the value.
   */
  csv?: { header: string; value: (row: T) => string | number | null | undefined }[];
}

/** Minor units as the decimal amount a spreadsheet reads: 8900 → "89.00". */
export const units = (minor: number | null | undefined) =>
  minor === null || minor === undefined ? '' : (minor / 100).toFixed(2);

/** A table sortable by any column (click the header; again to reverse) and exportable as CSV. */
export function SortableTable<T>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  csvName: string;
  initialSort?: { key: string; dir: 'asc' | 'desc' };
  empty?: string;
}): JSX.Element {
  const [sort, setSort] = createSignal(props.initialSort ?? null);
  const sorted = createMemo(() => {
    const s = sort();
    if (!s) return props.rows;
    const col = props.columns.find((c) => c.key === s.key);
    if (!col) return props.rows;
    const dir = s.dir === 'asc' ? 1 : -1;
    return [...props.rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  });
  const toggle = (key: string, numeric?: boolean) => {
    const s = sort();
    setSort(
      s?.key === key
        ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' }
        : { key, dir: numeric ? 'desc' : 'asc' },
    );
  };
  const exportCsv = () => {
    const cols = props.columns.flatMap((c) => c.csv ?? [{ header: c.header, value: c.value }]);
    downloadCsv(
      props.csvName,
      toCsv(
        cols.map((c) => c.header),
        sorted().map((r) => cols.map((c) => c.value(r))),
      ),
    );
  };
  return (
    <div class="table-wrap">
      <div class="table-tools">
        <span class="muted">{props.rows.length} rows</span>
        <button type="button" class="small" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <table class="console-table">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <For each={props.columns}>
              {(c) => (
                <th
                  scope="col"
                  classList={{ num: !!c.numeric }}
                  aria-sort={
                    sort()?.key === c.key ? (sort()?.dir === 'asc' ? 'ascending' : 'descending') : 'none'
                  }
                >
                  <button type="button" class="sort" onClick={() => toggle(c.key, c.numeric)}>
                    {c.header}
                    <span aria-hidden="true">
                      {sort()?.key === c.key ? (sort()?.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For
            each={sorted()}
            fallback={
              <tr>
                <td colSpan={props.columns.length}>{props.empty ?? 'Nothing here.'}</td>
              </tr>
            }
          >
            {(row) => (
              <tr>
                <For each={props.columns}>
                  {(c) => (
                    <td classList={{ num: !!c.numeric }}>
                      {c.render ? c.render(row) : (c.value(row) ?? '')}
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
