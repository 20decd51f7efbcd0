import { createMemo, For, type JSX, Match, Show, Switch } from 'solid-js';
import type { Product, Selection } from '../engine';

export interface GarmentPreviewProps {
  product: Product;
  selection: Selection;
}

function swatchOf(product: Product, moduleId: string, optionId: string | undefined): string | undefined {
  const m = product.modules.find((x) => x.id === moduleId);
  if (m?.kind !== 'choice') return undefined;
  return m.options.find((o) => o.id === optionId)?.swatch;
}

function optionLabel(product: Product, moduleId: string, optionId: string | undefined): string | undefined {
  const m = product.modules.find((x) => x.id === moduleId);
  if (m?.kind !== 'choice') return undefined;
  return m.options.find((o) => o.id === optionId)?.label;
}

const HEM_Y = 250;

// Leg half-widths at thigh, knee and hem per fit, in SVG units.
const LEGS: Record<string, [number, number, number]> = {
  skinny: [34, 22, 17],
  slim: [36, 26, 21],
  straight: [38, 30, 29],
  relaxed: [42, 35, 34],
  bootcut: [37, 27, 36],
};

/** A drawing that follows the choices: colour, silhouette, hem or collar/cuff, monogram. */
export function GarmentPreview(props: GarmentPreviewProps): JSX.Element {
  const description = () => {
    const s = props.selection;
    const parts = Object.entries(s)
      .map(
        ([m, o]) => optionLabel(props.product, m, o) ?? (m === 'monogram' && o ? `monogram ${o}` : undefined),
      )
      .filter(Boolean);
    return `Preview of the ${props.product.name.toLowerCase()}${parts.length ? `: ${parts.join(', ')}` : ''}`;
  };
  return (
    <figure class="preview">
      <svg viewBox="0 0 200 260" role="img" aria-label={description()}>
        <Switch fallback={<Shirt {...props} />}>
          <Match when={props.product.id === 'jeans' || props.product.modules.some((m) => m.id === 'inseam')}>
            <Jeans {...props} />
          </Match>
        </Switch>
      </svg>
    </figure>
  );
}

function Jeans(props: GarmentPreviewProps): JSX.Element {
  const colour = () =>
    swatchOf(props.product, 'wash', props.selection.wash) ??
    swatchOf(props.product, 'fabric', props.selection.fabric) ??
    '#2c4770';
  // Memos: the selection is a new object on every pick, and an SVG attribute set even to the same
  // value re-lays out and repaints its shape; these change only with the fit or the rise.
  const legs = createMemo(() => LEGS[props.selection.fit ?? 'straight'] ?? LEGS.straight!);
  const rise = createMemo(() => ({ low: 34, mid: 26, high: 16 })[props.selection.rise as 'low'] ?? 26);
  const path = () => {
    const [thigh, knee, hem] = legs();
    const top = rise();
    const c = 100;
    // Outline: waistband left → outside of left leg → hem → inseam → crotch → right leg → back.
    return [
      `M ${c - 48} ${top}`,
      `L ${c + 48} ${top}`,
      `L ${c + 50} 70`,
      `L ${c + 8 + thigh} 130`,
      `L ${c + 6 + knee + 6} 190`,
      `L ${c + 6 + hem + 4} ${HEM_Y}`,
      `L ${c + 8} ${HEM_Y}`,
      `L ${c + 4} 100`,
      `L ${c} 88`,
      `L ${c - 4} 100`,
      `L ${c - 8} ${HEM_Y}`,
      `L ${c - 6 - hem - 4} ${HEM_Y}`,
      `L ${c - 6 - knee - 6} 190`,
      `L ${c - 8 - thigh} 130`,
      `L ${c - 50} 70`,
      'Z',
    ].join(' ');
  };
  const hemHalf = () => legs()[2];
  return (
    <g>
      <path d={path()} fill={colour()} stroke="#111" stroke-width="1.5" data-testid="jeans-body" />
      <rect x="52" y={rise()} width="96" height="9" fill="rgba(0,0,0,.18)" />
      <line
        x1="100"
        y1={rise() + 9}
        x2="100"
        y2="86"
        stroke="#d9a441"
        stroke-width="1.2"
        stroke-dasharray="3 2"
      />
      {/* Both hems: the left leg's outer edge to its inseam, then the right leg's. Every variant is
          drawn and the stylesheet shows the one data-hem names (.hem in styles.css), so a hem pick
          changes one attribute instead of rebuilding SVG nodes. */}
      <g class="hem" data-hem={props.selection.hem ?? 'standard'}>
        <Hem x0={90 - hemHalf()} x1={92} />
        <Hem x0={108} x1={110 + hemHalf()} />
      </g>
      <Show when={props.selection.monogram}>
        <text
          x="100"
          y={rise() + 7.5}
          text-anchor="middle"
          font-size="8"
          font-weight="700"
          fill="#f5d27a"
          data-testid="monogram"
        >
          {props.selection.monogram}
        </text>
      </Show>
    </g>
  );
}

/** One leg's hem in each style (colours and which one shows: .hem in styles.css). */
function Hem(props: { x0: number; x1: number }): JSX.Element {
  return (
    <>
      <rect class="cuff" x={props.x0} y={HEM_Y - 12} width={props.x1 - props.x0} height="12" />
      <path class="raw" d={`M ${props.x0} ${HEM_Y} l 3 4 l 3 -4 l 3 4 l 3 -4 l 3 4 l 3 -4 l 3 4`} />
      <line class="stitch" x1={props.x0} y1={HEM_Y - 4} x2={props.x1} y2={HEM_Y - 4} />
    </>
  );
}

function Shirt(props: GarmentPreviewProps): JSX.Element {
  const colour = () => swatchOf(props.product, 'fabric', props.selection.fabric) ?? '#f7f7f4';
  const waist = () => ({ slim: 44, tailored: 50, classic: 56 })[props.selection.fit as 'slim'] ?? 50;
  const body = () =>
    `M 70 30 L 40 44 L 12 150 L 30 156 L 52 80 L ${100 - waist()} 240 L ${100 + waist()} 240 L 148 80 L 170 156 L 188 150 L 160 44 L 130 30 Z`;
  const collar = () => props.selection.collar ?? 'spread';
  const cuff = () => props.selection.cuff ?? 'barrel';
  const pockets = () => ({ none: 0, one: 1, two: 2 })[props.selection.pocket as 'one'] ?? 0;
  return (
    <g>
      <path d={body()} fill={colour()} stroke="#333" stroke-width="1.5" />
      <line x1="100" y1="40" x2="100" y2="240" stroke="#333" stroke-width="1" />
      <Switch>
        <Match when={collar() === 'band'}>
          <rect x="78" y="24" width="44" height="9" fill={colour()} stroke="#333" />
        </Match>
        <Match when={collar() === 'wing'}>
          <path d="M 78 26 L 122 26 L 122 34 L 106 34 L 100 42 L 94 34 L 78 34 Z" fill="#fff" stroke="#333" />
        </Match>
        <Match when={true}>
          <path
            d={
              collar() === 'cutaway'
                ? 'M 72 30 L 100 44 L 128 30 L 126 22 L 74 22 Z M 72 30 L 60 44 L 92 40 Z M 128 30 L 140 44 L 108 40 Z'
                : 'M 72 30 L 100 44 L 128 30 L 126 22 L 74 22 Z M 74 30 L 80 56 L 98 44 Z M 126 30 L 120 56 L 102 44 Z'
            }
            fill={colour()}
            stroke="#333"
          />
          <Show when={collar() === 'button-down'}>
            <circle cx="82" cy="52" r="1.8" fill="#333" />
            <circle cx="118" cy="52" r="1.8" fill="#333" />
          </Show>
        </Match>
      </Switch>
      <For each={[10, -10]}>
        {(turn) => (
          <rect
            x={turn > 0 ? 10 : 168}
            y="146"
            width="22"
            height={cuff() === 'french' ? 16 : 10}
            fill={colour()}
            stroke="#333"
            transform={`rotate(${turn} ${turn > 0 ? 21 : 179} 150)`}
          />
        )}
      </For>
      <Show when={pockets() >= 1}>
        <rect x="110" y="80" width="22" height="24" fill="none" stroke="#333" />
      </Show>
      <Show when={pockets() >= 2}>
        <rect x="68" y="80" width="22" height="24" fill="none" stroke="#333" />
      </Show>
      <Show when={props.selection.monogram}>
        <text
          x="122"
          y="225"
          text-anchor="middle"
          font-size="9"
          font-weight="700"
          fill="#555"
          data-testid="monogram"
        >
          {props.selection.monogram}
        </text>
      </Show>
    </g>
  );
}
