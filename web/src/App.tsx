import { Route, Router, type RouteSectionProps, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, type JSX, lazy, on, onMount, Show } from 'solid-js';
import { ApiError } from './api';
import { Link } from './components/Link';
import { cart } from './stores/cart';
import { session } from './stores/session';
import { pageTitle } from './title';

const CatalogList = lazy(() => import('./pages/CatalogList'));
const ConfiguratorPage = lazy(() => import('./pages/ConfiguratorPage'));
const SpecsPage = lazy(() => import('./pages/SpecsPage'));
const OrdersPage = lazy(() => import('./pages/OrdersPage'));
const OrderPage = lazy(() => import('./pages/OrderPage'));
const CheckoutPage = lazy(() => import('./pages/CheckoutPage'));
// The operations console (issue 6) lives in web/src/console and loads only when visited.
const ConsoleApp = lazy(() => import('./console/ConsoleApp'));
const FitFeedbackPage = lazy(() => import('./console/loop/FitFeedbackPage'));
const SignInPage = lazy(() => import('./pages/AuthPages').then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => import('./pages/AuthPages').then((m) => ({ default: m.SignUpPage })));

function Layout(props: RouteSectionProps): JSX.Element {
  const navigate = useNavigate();
  onMount(() => {
    void session.ready();
    // An order being placed when the page was reloaded or closed: find out how it ended.
    cart.resume();
  });
  const count = () => cart.state.lines.reduce((n, l) => n + l.quantity, 0);
  // A sign-out that fails (offline, a server error) leaves the shopper signed in: say so.
  const [signOutError, setSignOutError] = createSignal('');
  const signOut = async () => {
    setSignOutError('');
    try {
      await session.signOut();
      navigate('/');
    } catch (e) {
      setSignOutError(`You are still signed in: ${e instanceof ApiError ? e.readable : 'please try again.'}`);
    }
  };
  // It is about the page it was said on: moving to another page clears it. And a page changed
  // without a load says nothing to a screen reader, and leaves the focus on the link pressed (or
  // on the body, where Tab starts over from the top): the focus moves to the new page's main
  // heading once it is on screen (WCAG 2.4.3). Not on the first load: the browser has announced
  // the page then, and the focus belongs at its top.
  createEffect(
    on(
      () => props.location.pathname,
      (path) => {
        setSignOutError('');
        if (path === `/orders/${cart.placed()?.id}`) cart.seen();
        focusHeading();
      },
      { defer: true },
    ),
  );
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand" end>
          Tailorloop
        </Link>
        <nav aria-label="Main">
          <Link href="/" end>
            Shop
          </Link>
          <Link href="/specs">My specs</Link>
          <Link href="/orders">My orders</Link>
          <Link href="/checkout">
            Cart
            <span class="badge">{count()}</span>
            <span class="visually-hidden"> items</span>
          </Link>
          <Show
            when={session.user()}
            fallback={
              <Show when={session.user() === null}>
                <Link href="/signin">Sign in</Link>
              </Show>
            }
          >
            {(u) => (
              <button type="button" class="link" onClick={signOut}>
                Sign out <span class="muted">({u().name})</span>
              </button>
            )}
          </Show>
        </nav>
        <p class="error" role="alert">
          {signOutError()}
        </p>
        {/* An order placed after the shopper left checkout (or reloaded it while placing) is said
            on whatever page they are on, with its link, and the cart no longer holds it. */}
        <div class="placed" role="status">
          <Show when={cart.placed()}>
            {(o) => (
              <p class="notice">
                Your order is placed: <Link href={`/orders/${o().id}`}>order {o().id}</Link>.{' '}
                <button type="button" class="link" onClick={() => cart.seen()}>
                  Dismiss
                </button>
              </p>
            )}
          </Show>
        </div>
      </header>
      <main id="main" tabindex="-1">
        {props.children}
      </main>
    </>
  );
}

export function App(): JSX.Element {
  return (
    <Router root={Layout}>
      <Route path="/" component={CatalogList} />
      <Route path="/p/:productId" component={ConfiguratorPage} />
      <Route path="/specs" component={SpecsPage} />
      <Route path="/orders" component={OrdersPage} />
      <Route path="/orders/:id" component={OrderPage} />
      <Route path="/checkout" component={CheckoutPage} />
      <Route path="/signin" component={SignInPage} />
      <Route path="/signup" component={SignUpPage} />
      <Route path="/orders/:id/fit" component={FitFeedbackPage} />
      <Route path="/console/*rest" component={ConsoleApp} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}

let watching: MutationObserver | undefined;

/** Focuses the main heading of the page just navigated to, as soon as it is rendered. */
function focusHeading(): void {
  watching?.disconnect();
  const main = document.getElementById('main');
  if (!main) return;
  const at = document.activeElement;
  const done = () => {
    const h1 = main.querySelector('h1');
    // The shopper has moved on already (typed into the new page, or pressed another link).
    if (document.activeElement !== at && main.contains(document.activeElement)) return true;
    if (!h1) return false;
    h1.tabIndex = -1;
    h1.focus();
    return true;
  };
  // Lazy pages render after their code arrives, some with "Loading…" before the heading.
  queueMicrotask(() => {
    if (done()) return;
    const watch = new MutationObserver(() => done() && watch.disconnect());
    watch.observe(main, { childList: true, subtree: true });
    watching = watch;
    setTimeout(() => watch.disconnect(), 10_000);
  });
}

function NotFound(): JSX.Element {
  pageTitle(() => 'Page not found');
  return (
    <section class="page">
      <h1>Page not found</h1>
      <p>
        <Link href="/">Back to the shop</Link>
      </p>
    </section>
  );
}
