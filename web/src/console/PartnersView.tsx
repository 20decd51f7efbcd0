import { createResource, createSignal, For, type JSX, Show, Suspense } from 'solid-js';
import { ApiError } from '../api';
import { Link } from '../components/Link';
import { adminApi, type PartnerInsight } from './api';
import { HBars, PALETTE } from './charts';
import { Failure, pct } from './shared';
import { type Column, SortableTable } from './Table';

const ms = (v: number | null) => (v === null ? '–' : `${v} ms`);

/** What the settings below saved, so the table says it at once (it said "yes" until a reload). */
type Saved = Record<string, { enabled: boolean; url: string | null; disabledReason: string | null }>;

/** The dispatcher sends only to a partner with a URL: without one its deliveries wait (decision 024). */
export const WAITS_FOR_URL = 'no URL: deliveries wait until a URL is set';

/**
 * "no", with why when the dispatcher switched it off (a 410) and nobody has saved it since; and,
 * while the partner has no URL, that its deliveries wait (an enabled partner without one said
 * just "yes").
 */
const enabledText = (p: PartnerInsight, saved: Saved) => {
  const s = saved[p.id];
  const url = s ? s.url : p.url;
  const why = s ? s.disabledReason : p.disabledReason;
  const on = (s ? s.enabled : p.enabled) ? 'yes' : why ? `no: ${why}` : 'no';
  return url ? on : `${on}; ${WAITS_FOR_URL}`;
};

const deliveryColumns = (saved: () => Saved): Column<PartnerInsight>[] => [
  { key: 'id', header: 'Partner', value: (p) => p.id, render: (p) => <span title={p.name}>{p.id}</span> },
  { key: 'kind', header: 'Kind', value: (p) => p.kind },
  {
    key: 'enabled',
    header: 'Enabled',
    value: (p) => enabledText(p, saved()),
  },
  {
    key: 's24',
    header: 'Success 24 h',
    value: (p) => p.delivery.last24h.successRate,
    render: (p) => pct(p.delivery.last24h.successRate),
    numeric: true,
  },
  {
    key: 'l24',
    header: 'p50 / p95 24 h',
    value: (p) => p.delivery.last24h.latencyP50Ms,
    render: (p) => `${ms(p.delivery.last24h.latencyP50Ms)} / ${ms(p.delivery.last24h.latencyP95Ms)}`,
    csv: [
      { header: 'p50 ms 24 h', value: (p) => p.delivery.last24h.latencyP50Ms },
      { header: 'p95 ms 24 h', value: (p) => p.delivery.last24h.latencyP95Ms },
    ],
  },
  {
    key: 's7',
    header: 'Success 7 d',
    value: (p) => p.delivery.last7d.successRate,
    render: (p) => pct(p.delivery.last7d.successRate),
    numeric: true,
  },
  {
    key: 'l7',
    header: 'p50 / p95 7 d',
    value: (p) => p.delivery.last7d.latencyP50Ms,
    render: (p) => `${ms(p.delivery.last7d.latencyP50Ms)} / ${ms(p.delivery.last7d.latencyP95Ms)}`,
    csv: [
      { header: 'p50 ms 7 d', value: (p) => p.delivery.last7d.latencyP50Ms },
      { header: 'p95 ms 7 d', value: (p) => p.delivery.last7d.latencyP95Ms },
    ],
  },
  { key: 'a7', header: 'Attempts 7 d', value: (p) => p.delivery.last7d.attempts, numeric: true },
  {
    key: 'failed',
    header: 'Failed deliveries',
    value: (p) => p.failedDeliveries,
    numeric: true,
    render: (p) => (p.failedDeliveries ? <span class="bad">{p.failedDeliveries}</span> : '0'),
  },
];

const qualityColumns: Column<PartnerInsight>[] = [
  { key: 'id', header: 'Supplier', value: (p) => p.id },
  { key: 'lines', header: 'Lines', value: (p) => p.quality?.lines, numeric: true },
  {
    key: 'rej',
    header: 'Rejection rate',
    value: (p) => p.quality?.rejectionRate,
    render: (p) => pct(p.quality?.rejectionRate),
    numeric: true,
  },
  { key: 'fit', header: 'Remakes: fit', value: (p) => p.quality?.remakesFit, numeric: true },
  { key: 'defect', header: 'Remakes: defect', value: (p) => p.quality?.remakesDefect, numeric: true },
  {
    key: 'rate',
    header: 'Remake rate',
    value: (p) => p.quality?.remakeRate,
    render: (p) => pct(p.quality?.remakeRate),
    numeric: true,
  },
  { key: 'p50', header: 'Days to produced p50', value: (p) => p.quality?.daysToProducedP50, numeric: true },
  { key: 'p90', header: 'p90', value: (p) => p.quality?.daysToProducedP90, numeric: true },
];

/** URL, enabled flag and secret rotation for one partner (the webhook engineer's admin API). */
function PartnerSettings(props: {
  partner: PartnerInsight;
  onSaved: (p: { id: string; url: string | null; enabled: boolean; disabledReason?: string | null }) => void;
}): JSX.Element {
  const [url, setUrl] = createSignal(props.partner.url ?? '');
  const [enabled, setEnabled] = createSignal(props.partner.enabled);
  const [note, setNote] = createSignal('');
  const [secret, setSecret] = createSignal('');
  const [copied, setCopied] = createSignal('');
  let secretCode: HTMLElement | undefined;
  // What the server last stored (the field may hold an edit not yet saved).
  const [savedUrl, setSavedUrl] = createSignal(props.partner.url);
  const name = () => props.partner.name;
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setNote('');
    try {
      const p = await adminApi.updatePartner(props.partner.id, {
        url: url().trim() || null,
        enabled: enabled(),
      });
      setUrl(p.url ?? '');
      setSavedUrl(p.url);
      setEnabled(p.enabled);
      props.onSaved(p);
      // A cleared URL is stored as none, and the dispatcher then holds this partner's deliveries:
      // "Saved." alone read as if all was well.
      setNote(p.url ? 'Saved.' : `Saved. Deliveries to ${name()} wait until a URL is set.`);
    } catch (err) {
      setNote(err instanceof ApiError ? (err.errorFor('url') ?? err.readable) : String(err));
    }
  };
  // The secret is shown once: one button puts it on the clipboard; where the browser does not
  // allow that (plain http on another host), the secret is selected for Ctrl+C.
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret());
      setCopied('Copied.');
    } catch {
      const range = document.createRange();
      if (secretCode) range.selectNodeContents(secretCode);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      setCopied('Selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  };
  const rotate = async () => {
    setNote('');
    setCopied('');
    try {
      setSecret((await adminApi.rotateSecret(props.partner.id)).secret);
    } catch (err) {
      setNote(err instanceof ApiError ? err.readable : String(err));
    }
  };
  // Six of these forms share a page: each control's name says which partner it is for (a screen
  // reader heard six "URL", six "enabled" and six "Save").
  return (
    <form class="partner-settings" onSubmit={save} aria-label={`Settings for ${name()}`}>
      <strong title={name()}>{props.partner.id}</strong>
      <label>
        Webhook URL<span class="visually-hidden"> for {name()}</span>
        <input
          type="url"
          value={url()}
          onInput={(e) => {
            setUrl(e.currentTarget.value);
            // "Saved." belonged to the value before; it must not stand next to an unsaved one.
            setNote('');
          }}
          placeholder="https://…"
        />
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={enabled()}
          onChange={(e) => {
            setEnabled(e.currentTarget.checked);
            setNote('');
          }}
        />{' '}
        Enabled<span class="visually-hidden"> for {name()}</span>
      </label>
      <button type="submit" class="small">
        Save<span class="visually-hidden"> {name()}</span>
      </button>
      <button type="button" class="small" onClick={() => void rotate()}>
        Rotate secret<span class="visually-hidden"> for {name()}</span>
      </button>
      <span role="status" class="small-text">
        {note()}
      </span>
      <Show when={!savedUrl() && !note()}>
        <span class="small-text bad">{WAITS_FOR_URL}.</span>
      </Show>
      <Show when={secret()}>
        <p class="notice small-text secret">
          New secret (shown once; the old one keeps signing for a while):{' '}
          <code ref={secretCode}>{secret()}</code>{' '}
          <button type="button" class="small" onClick={() => void copy()}>
            Copy the secret<span class="visually-hidden"> for {name()}</span>
          </button>{' '}
          <span role="status">{copied()}</span>
        </p>
      </Show>
    </form>
  );
}

function FailedDeliveries(): JSX.Element {
  const [list, { refetch }] = createResource(() => adminApi.failedDeliveries());
  const [note, setNote] = createSignal('');
  let said!: HTMLParagraphElement;
  const retry = async (id: string) => {
    try {
      const r = await adminApi.redeliver(id);
      // Queued, but to a partner that is disabled or has no URL it waits: the server says so.
      setNote(r.note ? `${id} queued again, but it waits: ${r.note}.` : `${id} queued again.`);
      await refetch();
      // Its line (and the button) left the list: the focus goes to what happened, not to <body>.
      said.focus();
    } catch (e) {
      setNote(e instanceof ApiError ? e.readable : String(e));
    }
  };
  return (
    <>
      <h2>Failed deliveries to retry</h2>
      <p role="status" tabindex="-1" ref={said}>
        {note()}
      </p>
      <Show when={list.error}>
        <Failure error={list.error} retry={() => void refetch()} />
      </Show>
      <Show when={!list.error && list.latest}>
        {(l) => (
          <ul class="plain">
            <For
              each={l()}
              fallback={<li class="muted">None: every message was delivered or is still being retried.</li>}
            >
              {(d) => (
                <li>
                  <code>{d.eventType}</code> to <strong>{d.partnerId}</strong>
                  <Show when={d.orderId}>
                    {(id) => (
                      <>
                        {' '}
                        for <Link href={`/console/orders/${id()}`}>{id()}</Link>
                      </>
                    )}
                  </Show>{' '}
                  · {d.attempts} attempts · last {d.lastStatusCode ?? d.lastError ?? 'no answer'}{' '}
                  <button type="button" class="small" onClick={() => void retry(d.id)}>
                    Redeliver
                  </button>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </>
  );
}

export function PartnersView(): JSX.Element {
  const [data, { refetch }] = createResource(() => adminApi.partners(90));
  const [saved, setSaved] = createSignal<Saved>({});
  const columns = deliveryColumns(saved);
  const suppliers = () => data()?.partners.filter((p) => p.kind === 'supplier') ?? [];
  return (
    <section aria-labelledby="partners-h">
      <h1 id="partners-h">Partners</h1>
      <Suspense fallback={<p>Loading partners…</p>}>
        <Show when={data.error}>
          <Failure error={data.error} retry={() => void refetch()} />
        </Show>
        <Show when={!data.error && data()}>
          {(d) => (
            <>
              <h2>Webhook delivery</h2>
              <SortableTable
                caption="Webhook delivery per partner"
                columns={columns}
                rows={d().partners}
                csvName="partner-delivery.csv"
              />
              <h2>Settings</h2>
              <For each={d().partners}>
                {(p) => (
                  <PartnerSettings
                    partner={p}
                    onSaved={(x) =>
                      setSaved((s) => ({
                        ...s,
                        [x.id]: { enabled: x.enabled, url: x.url, disabledReason: x.disabledReason ?? null },
                      }))
                    }
                  />
                )}
              </For>
              <h2>Supplier quality, last 90 days</h2>
              <SortableTable
                caption="Supplier quality"
                columns={qualityColumns}
                rows={suppliers()}
                csvName="supplier-quality.csv"
              />
              <div class="chart-row">
                <HBars
                  title="Rejection rate by supplier"
                  items={suppliers().map((p) => ({
                    label: p.id,
                    value: Math.round((p.quality?.rejectionRate ?? 0) * 1000) / 10,
                  }))}
                  format={(v) => `${v}%`}
                  color={PALETTE[2]}
                />
                <HBars
                  title="Median days from order to produced"
                  items={suppliers().map((p) => ({ label: p.id, value: p.quality?.daysToProducedP50 ?? 0 }))}
                  format={(v) => `${v} d`}
                  color={PALETTE[1]}
                />
              </div>
            </>
          )}
        </Show>
      </Suspense>
      <FailedDeliveries />
    </section>
  );
}
