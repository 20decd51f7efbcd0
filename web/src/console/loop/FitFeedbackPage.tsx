import { useParams } from '@solidjs/router';
import { createResource, createSignal, For, type JSX, Show } from 'solid-js';
import { ApiError, api, type ProductDetail } from '../../api';
import { money } from '../../format';
import { type Feedback, type FeedbackQuestions, type FitAnswer, loopApi } from '../api';
import './fit.css';
import type { Order, ShipTo } from '../../api';
import { accountApi } from '../../api-account';
import { Link } from '../../components/Link';
import { placeWithKey } from '../../stores/place-order';
import { storage } from '../../stores/storage';
import { pageTitle } from '../../title';

// The customer side of the learning loop at /orders/:id/fit: fit questions per area after
// delivery, the engine's proposed adjustment as a before/after to accept or decline, then one
// click to order again with the adjusted spec; a remake or a complaint when something is wrong.
// It lives beside the console (same API module) until the shop adopts it.

const ANSWER_LABEL: Record<FitAnswer, string> = {
  too_tight: 'Too tight',
  right: 'Right',
  too_loose: 'Too loose',
  too_short: 'Too short',
  too_long: 'Too long',
};

// "Order again with the new fit" keeps its Idempotency-Key per order line in the browser until an
// order comes back: a double click, or a retry after the answer was lost (even after a reload),
// places one order (decision 032). A key per page visit made a second order after a reload.
const FIT_ATTEMPTS = 'tl.fitOrderAttempts';
type Attempt = { key: string; body: string } | undefined;
const saveAttempt = (slot: string, a: Attempt) =>
  storage.set(FIT_ATTEMPTS, { ...storage.get<Record<string, Attempt>>(FIT_ATTEMPTS, {}), [slot]: a });

/**
 * The order placed with the adjusted spec after it was accepted, from the shop's own records: a
 * reload (or another tab) shows it instead of offering to order the same again.
 */
export function orderedWithNewFit(orders: readonly Order[], feedback: Feedback | null): Order | undefined {
  const spec = feedback?.decision === 'accepted' ? feedback.resultSpec?.id : undefined;
  const since = Date.parse(feedback?.decidedAt ?? '');
  if (!spec || Number.isNaN(since)) return undefined;
  return orders
    .filter((o) => Date.parse(o.createdAt) >= since && o.lines.some((l) => l.specId === spec))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))[0];
}

const readable = (e: unknown) => (e instanceof ApiError ? e.readable : String(e));

/** Today's products by id: `null` when one is no longer sold; `error` when some could not be loaded. */
interface Products {
  byId: Map<string, ProductDetail | null>;
  error?: unknown;
}

async function loadProducts(ids: string[]): Promise<Products> {
  const byId = new Map<string, ProductDetail | null>();
  let error: unknown;
  await Promise.all(
    ids.map((id) =>
      api.product(id).then(
        (p) => void byId.set(id, p),
        (e) => {
          if (e instanceof ApiError && e.status === 404) byId.set(id, null);
          else error = e;
        },
      ),
    ),
  );
  return { byId, error };
}

function LineFeedback(props: {
  orderId: string;
  line: FeedbackQuestions['lines'][number];
  /** Today's product, for its name and module labels (`null` when it is no longer sold, undefined
   * when it could not be loaded: the page says so, and an id is never shown as a name). */
  product: ProductDetail | null | undefined;
  /** The name the line was ordered under (orders placed since migration 0007 carry it). */
  orderedName?: string;
  shipTo: unknown;
  /** The order already placed with this line's adjusted spec, if any. */
  ordered?: Order;
}): JSX.Element {
  const moduleLabel = (id: string) => props.product?.modules.find((m) => m.id === id)?.label;
  const [feedback, setFeedback] = createSignal<Feedback | null>(props.line.feedback);
  const [answers, setAnswers] = createSignal<Record<string, FitAnswer>>(
    Object.fromEntries(props.line.areas.map((a) => [a.id, 'right' as FitAnswer])),
  );
  const [comment, setComment] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [spec, setSpec] = createSignal<{ id: string; name: string; version: number } | null>(null);
  const slot = `${props.orderId}/${props.line.lineId}`;
  const placed = (o: Order) => ({ id: o.id, specCode: o.lines[0]?.specCode ?? '' });
  const [reordered, setReordered] = createSignal<{ id: string; specCode: string } | null>(
    props.ordered ? placed(props.ordered) : null,
  );
  // Known to the shop: a key kept for it (an answer lost on the way) has nothing left to retry.
  if (props.ordered) saveAttempt(slot, undefined);
  let section!: HTMLElement;
  const [remade, setRemade] = createSignal('');

  // The button pressed is disabled while its request runs (the focus falls to the page) and is
  // then gone: the focus goes to what the answer put in its place (`then`, a data-focus mark),
  // or back to the button on a failure, so the keyboard and a screen reader carry on from there.
  const run = async (fn: () => Promise<void>, then: string) => {
    const pressed = document.activeElement as HTMLElement | null;
    setBusy(true);
    setError('');
    try {
      await fn();
      setBusy(false);
      section.querySelector<HTMLElement>(`[data-focus="${then}"]`)?.focus();
    } catch (e) {
      setError(readable(e));
      setBusy(false);
      if (pressed?.isConnected && (!document.activeElement || document.activeElement === document.body))
        pressed.focus();
    }
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void run(async () => {
      setFeedback(
        await loopApi.submit(props.orderId, props.line.lineId, answers(), comment().trim() || undefined),
      );
    }, 'answered');
  };
  const accept = () =>
    run(async () => {
      const r = await loopApi.accept(feedback()!.id);
      setFeedback(r.feedback);
      setSpec(r.spec);
    }, 'decided');
  const decline = () =>
    run(async () => {
      setFeedback(await loopApi.decline(feedback()!.id));
    }, 'decided');
  const orderAgain = () =>
    run(async () => {
      const specId = spec()?.id ?? feedback()?.resultSpec?.id;
      if (!specId) throw new Error('The adjusted spec is not known yet; reload the page and try again.');
      const o = await placeWithKey(
        { lines: [{ specId, quantity: 1 }], shipTo: props.shipTo as ShipTo },
        {
          current: storage.get<Record<string, Attempt>>(FIT_ATTEMPTS, {})[slot],
          save: (a) => saveAttempt(slot, a),
        },
      );
      saveAttempt(slot, undefined);
      setReordered(placed(o));
    }, 'ordered');
  const remake = () =>
    run(async () => {
      const r = await loopApi.remake(props.orderId, props.line.lineId, 'fit', comment().trim() || undefined);
      setRemade(
        `Remake ${r.order.id} is on its way at no charge (${r.allowance.remaining} of ${r.allowance.limit} remakes left for this product).`,
      );
    }, 'remade');

  return (
    <section ref={section} class="card fit-line" aria-labelledby={`fit-${props.line.lineId}`}>
      <h2 id={`fit-${props.line.lineId}`}>
        {props.orderedName ??
          props.product?.name ??
          (props.product === null ? 'A product no longer sold' : 'Product name not loaded')}{' '}
        <code class="small-text">{props.line.specCode}</code>
      </h2>
      <Show
        when={feedback()}
        fallback={
          <form onSubmit={submit}>
            <For each={props.line.areas}>
              {(area) => (
                <fieldset class="fit-area">
                  <legend>{area.question}</legend>
                  <For each={area.answers}>
                    {(a) => (
                      <label>
                        <input
                          type="radio"
                          name={`${props.line.lineId}-${area.id}`}
                          value={a}
                          checked={answers()[area.id] === a}
                          onChange={() => setAnswers({ ...answers(), [area.id]: a })}
                        />{' '}
                        {ANSWER_LABEL[a]}
                      </label>
                    )}
                  </For>
                </fieldset>
              )}
            </For>
            <label class="fit-comment">
              Anything else? (optional)
              <textarea rows="2" value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={busy()}>
              Send my answers
            </button>
          </form>
        }
      >
        {(f) => (
          <>
            <Show when={f().verdict === 'right'}>
              <p tabindex="-1" data-focus="answered">
                Thank you: glad it fits. Your spec stays as it is.
              </p>
            </Show>
            <Show when={f().proposal}>
              {(p) => (
                <div class="proposal">
                  <h3 tabindex="-1" data-focus="answered">
                    Our suggestion
                  </h3>
                  <ul>
                    <For each={p().summary}>{(s) => <li>{s}</li>}</For>
                  </ul>
                  <Show when={!p().unchanged}>
                    <table class="console-table" aria-label="Before and after">
                      <thead>
                        <tr>
                          <th scope="col">What</th>
                          <th scope="col">Now</th>
                          <th scope="col">Suggested</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={p().changes}>
                          {(c) => (
                            <tr>
                              <td>
                                {moduleLabel(c.module) ?? (
                                  <span class="muted">
                                    {props.product === null ? 'Not in today’s catalog' : 'Name not loaded'}
                                  </span>
                                )}
                              </td>
                              <td>{c.fromLabel ?? '–'}</td>
                              <td>
                                <strong>{c.toLabel ?? '–'}</strong>
                              </td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                    <p class="small-text">
                      Spec <code>{p().before.specCode}</code> → <code>{p().after.specCode}</code>; price per
                      piece with the change: {money(p().after.unitPrice, p().after.currency)}.
                    </p>
                  </Show>
                </div>
              )}
            </Show>
            <Show when={f().decision === 'pending'}>
              <button type="button" disabled={busy()} onClick={() => void accept()}>
                Accept the adjustment
              </button>{' '}
              <button type="button" class="secondary" disabled={busy()} onClick={() => void decline()}>
                Keep my spec as it is
              </button>
            </Show>
            <Show when={f().decision === 'accepted'}>
              <p role="status" tabindex="-1" data-focus="decided">
                Saved
                <Show when={spec()} fallback={` as version ${f().resultSpec?.version} of your spec`}>
                  {(s) => ` as version ${s().version} of “${s().name}”`}
                </Show>
                . Your next order uses it.
              </p>
              <Show
                when={reordered()}
                fallback={
                  <button type="button" disabled={busy()} onClick={() => void orderAgain()}>
                    Order again with the new fit
                  </button>
                }
              >
                {(o) => (
                  <p role="status" tabindex="-1" data-focus="ordered">
                    Ordered: <Link href={`/orders/${o().id}`}>order {o().id}</Link> (
                    <code>{o().specCode}</code>).
                  </p>
                )}
              </Show>
            </Show>
            <Show when={f().decision === 'declined'}>
              <p role="status" tabindex="-1" data-focus="decided">
                Kept your spec as it is.
              </p>
            </Show>
            <Show when={f().verdict === 'adjust' && !remade()}>
              <p class="small-text">
                Does it not fit at all?{' '}
                <button type="button" class="link" disabled={busy()} onClick={() => void remake()}>
                  Ask for a remake at no charge
                </button>
              </p>
            </Show>
            <Show when={remade()}>
              <p role="status" tabindex="-1" data-focus="remade">
                {remade()}
              </p>
            </Show>
          </>
        )}
      </Show>
      <Show when={error()}>
        <p role="alert" class="error">
          {error()}
        </p>
      </Show>
    </section>
  );
}

function ProblemReport(props: { orderId: string }): JSX.Element {
  const [category, setCategory] = createSignal('damaged');
  const [message, setMessage] = createSignal('');
  const [note, setNote] = createSignal('');
  const send = async (e: SubmitEvent) => {
    e.preventDefault();
    try {
      await loopApi.complain(props.orderId, category(), message());
      setMessage('');
      setNote('Thank you: we have it and will answer soon.');
    } catch (err) {
      setNote(readable(err));
    }
  };
  return (
    <form class="card problem" onSubmit={send}>
      <h2>Something else wrong?</h2>
      <label>
        What happened
        <select value={category()} onChange={(e) => setCategory(e.currentTarget.value)}>
          <option value="damaged">Arrived damaged</option>
          <option value="late">Late</option>
          <option value="wrong_item">Wrong item</option>
          <option value="quality">Quality problem</option>
          <option value="billing">Billing</option>
          <option value="question">A question</option>
          <option value="other">Something else</option>
        </select>
      </label>
      <label>
        Tell us more
        <textarea rows="3" value={message()} onInput={(e) => setMessage(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={!message().trim()}>
        Send
      </button>
      <p role="status">{note()}</p>
    </form>
  );
}

export default function FitFeedbackPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  pageTitle(() => `How does it fit? Order ${params.id}`);
  // The names, loaded again on "Try again" without touching the answers being given.
  const [products, setProducts] = createSignal<Products>();
  const [data, { refetch }] = createResource(
    () => params.id,
    async (orderId) => {
      setProducts(undefined);
      const questions = await loopApi.questions(orderId);
      // The questions name products and modules by id; the shopper knows them by name.
      const ids = [...new Set(questions.lines.map((l) => l.productId))];
      // The customer's orders show what was already ordered with an adjusted spec. Without them
      // (a failure) the page still works: ordering again with the same key gives the same order.
      const [products, order, orders] = await Promise.all([
        loadProducts(ids),
        loopApi.order(orderId),
        accountApi.orders().catch(() => [] as Order[]),
      ]);
      return { questions, order, ids, products, orders };
    },
  );
  const current = () => products() ?? (data.state === 'ready' ? data().products : undefined);
  const [retrying, setRetrying] = createSignal(false);
  const reloadNames = async () => {
    if (data.state !== 'ready') return;
    setRetrying(true);
    setProducts(await loadProducts(data().ids));
    setRetrying(false);
  };
  return (
    <section class="fit-page" aria-labelledby="fit-h">
      <h1 id="fit-h">How does it fit?</h1>
      <Show when={data.error}>
        <p role="alert" class="error">
          {data.error instanceof ApiError && data.error.status === 401 ? (
            <>
              Please <Link href="/signin">sign in</Link> first.
            </>
          ) : (
            <>
              {readable(data.error)}{' '}
              <button type="button" onClick={() => void refetch()}>
                Try again
              </button>
            </>
          )}
        </p>
      </Show>
      <Show when={!data.error && current()?.error}>
        {(e) => (
          <p role="alert" class="error">
            The product names could not be loaded. {readable(e())}{' '}
            <button type="button" disabled={retrying()} onClick={() => void reloadNames()}>
              Try again
            </button>
          </p>
        )}
      </Show>
      <Show when={!data.error && data()}>
        {(d) => (
          <>
            <p>
              Order <Link href={`/orders/${d().questions.orderId}`}>{d().questions.orderId}</Link>
            </p>
            <Show
              when={d().questions.open}
              fallback={
                <p>You can tell us how it fits once the order is delivered (it is {d().questions.status}).</p>
              }
            >
              <For each={d().questions.lines}>
                {(line) => (
                  <LineFeedback
                    orderId={d().questions.orderId}
                    line={line}
                    product={current()?.byId.get(line.productId)}
                    orderedName={
                      ((d().order.lines ?? []) as Array<{ id: string; productName?: string }>).find(
                        (l) => l.id === line.lineId,
                      )?.productName
                    }
                    shipTo={d().order.shipTo}
                    ordered={orderedWithNewFit(d().orders, line.feedback)}
                  />
                )}
              </For>
            </Show>
            <ProblemReport orderId={d().questions.orderId} />
          </>
        )}
      </Show>
    </section>
  );
}
