import { For, type JSX, Show } from 'solid-js';

// Small charts as inline SVG: no library to ship or keep up to date, crisp at any zoom, and the
// numbers stay in the DOM (each chart has a text title and an accessible label).

export const PALETTE = [
  '#1f4e8c',
  '#6aa3d9',
  '#c0392b',
  '#e67e22',
  '#8e44ad',
  '#16a085',
  '#7f8c8d',
  '#d4ac0d',
];

/** A round step for about four gridlines up to `v` (1, 2, 5 × a power of ten; at least 1). */
function niceStep(v: number): number {
  const raw = Math.max(1, v / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return 10 * p;
}

export interface Series {
  name: string;
  color: string;
}

/** Stacked columns (one per x label), a y axis with 4 ticks and a legend. */
export function StackedBars(props: {
  title: string;
  labels: string[];
  series: Series[];
  /** values[i][s]: the value of series s at label i. */
  values: number[][];
  height?: number;
  width?: number;
}): JSX.Element {
  const W = () => props.width ?? 900;
  const H = () => props.height ?? 240;
  const pad = { l: 40, r: 10, t: 10, b: 28 };
  const rawMax = () => Math.max(1, ...props.values.map((v) => v.reduce((a, b) => a + b, 0)));
  const step = () => niceStep(rawMax());
  const max = () => Math.ceil(rawMax() / step()) * step();
  const ticks = () => Array.from({ length: Math.round(max() / step()) + 1 }, (_, i) => i * step());
  const bw = () => (W() - pad.l - pad.r) / Math.max(1, props.labels.length);
  const y = (v: number) => H() - pad.b - (v / max()) * (H() - pad.t - pad.b);
  const every = () => Math.max(1, Math.ceil(props.labels.length / 12));
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W()} ${H()}`} role="img" aria-label={props.title} width="100%">
        <title>{props.title}</title>
        <For each={ticks()}>
          {(t) => (
            <g>
              <line x1={pad.l} x2={W() - pad.r} y1={y(t)} y2={y(t)} class="grid-line" />
              <text x={pad.l - 6} y={y(t) + 4} text-anchor="end" class="axis">
                {t}
              </text>
            </g>
          )}
        </For>
        <For each={props.values}>
          {(vals, i) => {
            let acc = 0;
            return (
              <g>
                <For each={vals}>
                  {(v, s) => {
                    const top = y(acc + v);
                    const h = y(acc) - top;
                    acc += v;
                    return (
                      <rect
                        x={pad.l + i() * bw() + bw() * 0.1}
                        y={top}
                        width={Math.max(1, bw() * 0.8)}
                        height={Math.max(0, h)}
                        fill={props.series[s()]?.color ?? '#999'}
                      >
                        <title>{`${props.labels[i()]}: ${props.series[s()]?.name} ${v}`}</title>
                      </rect>
                    );
                  }}
                </For>
                <Show when={i() % every() === 0}>
                  <text x={pad.l + i() * bw() + bw() / 2} y={H() - 10} text-anchor="middle" class="axis">
                    {props.labels[i()]?.slice(5)}
                  </text>
                </Show>
              </g>
            );
          }}
        </For>
      </svg>
      <ul class="legend">
        <For each={props.series}>
          {(s) => (
            <li>
              <span class="swatch" style={{ background: s.color }} />
              {s.name}
            </li>
          )}
        </For>
      </ul>
    </figure>
  );
}

/** The Pareto (Lorenz) curve: share of customers, most valuable first, against share of revenue. */
export function ParetoChart(props: {
  curve: { customerShare: number; revenueShare: number }[];
  topFraction: number;
  topShare: number;
}): JSX.Element {
  const W = 420;
  const H = 300;
  const pad = { l: 44, r: 14, t: 12, b: 36 };
  const x = (f: number) => pad.l + f * (W - pad.l - pad.r);
  const y = (f: number) => H - pad.b - f * (H - pad.t - pad.b);
  const path = () =>
    props.curve
      .map((p, i) => `${i ? 'L' : 'M'}${x(p.customerShare).toFixed(1)},${y(p.revenueShare).toFixed(1)}`)
      .join(' ');
  const title = () =>
    `Pareto: the top ${Math.round(props.topFraction * 100)}% of customers bring ${(props.topShare * 100).toFixed(1)}% of revenue`;
  return (
    <figure class="chart">
      <figcaption>{title()}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={title()}
        width="100%"
        style={{ 'max-width': '520px' }}
      >
        <title>{title()}</title>
        <For each={[0, 0.2, 0.4, 0.6, 0.8, 1]}>
          {(f) => (
            <g>
              <line x1={x(0)} x2={x(1)} y1={y(f)} y2={y(f)} class="grid-line" />
              <text x={x(0) - 6} y={y(f) + 4} text-anchor="end" class="axis">
                {`${Math.round(f * 100)}%`}
              </text>
              <text x={x(f)} y={H - pad.b + 16} text-anchor="middle" class="axis">
                {`${Math.round(f * 100)}%`}
              </text>
            </g>
          )}
        </For>
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} class="diagonal" />
        <path d={path()} fill="none" stroke={PALETTE[0]} stroke-width="2.5" />
        <line
          x1={x(props.topFraction)}
          x2={x(props.topFraction)}
          y1={y(0)}
          y2={y(props.topShare)}
          class="marker"
        />
        <line
          x1={x(0)}
          x2={x(props.topFraction)}
          y1={y(props.topShare)}
          y2={y(props.topShare)}
          class="marker"
        />
        <circle cx={x(props.topFraction)} cy={y(props.topShare)} r="4.5" fill={PALETTE[2]} />
        <text x={x(props.topFraction) + 8} y={y(props.topShare) + 16} class="label">
          {`${(props.topShare * 100).toFixed(1)}% of revenue`}
        </text>
        <text x={(x(0) + x(1)) / 2} y={H - 4} text-anchor="middle" class="axis">
          share of customers, most valuable first
        </text>
      </svg>
    </figure>
  );
}

/** Horizontal bars with a value label: for rankings (classes, modules, categories). */
export function HBars(props: {
  title: string;
  items: { label: string; value: number; note?: string }[];
  color?: string;
  format?: (v: number) => string;
}): JSX.Element {
  const max = () => Math.max(1, ...props.items.map((i) => i.value));
  const W = 520;
  const row = 26;
  const labelW = 140;
  // Room on the right for the value and its note.
  const barW = W - labelW - 175;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${Math.max(row, props.items.length * row + 4)}`}
        role="img"
        aria-label={props.title}
        width="100%"
        style={{ 'max-width': '760px' }}
      >
        <title>{props.title}</title>
        <For each={props.items}>
          {(item, i) => (
            <g>
              <text x={labelW - 8} y={i() * row + 17} text-anchor="end" class="label">
                {item.label}
              </text>
              <rect
                x={labelW}
                y={i() * row + 4}
                height={row - 8}
                width={Math.max(1, (barW * item.value) / max())}
                fill={props.color ?? PALETTE[0]}
                rx="2"
              />
              <text x={labelW + (barW * item.value) / max() + 6} y={i() * row + 17} class="axis">
                {(props.format ?? String)(item.value)}
                {item.note ? ` · ${item.note}` : ''}
              </text>
            </g>
          )}
        </For>
      </svg>
    </figure>
  );
}
