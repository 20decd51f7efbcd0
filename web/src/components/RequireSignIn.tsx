import { useLocation } from '@solidjs/router';
import { type JSX, Match, Switch } from 'solid-js';
import { session } from '../stores/session';
import { Link } from './Link';

/** Children once signed in; a sign-in link that comes back here otherwise. */
export function RequireSignIn(props: { children: JSX.Element; heading?: string }): JSX.Element {
  const location = useLocation();
  const next = () => encodeURIComponent(location.pathname + location.search);
  return (
    <Switch fallback={<p class="loading">Loading…</p>}>
      <Match when={session.user()}>{props.children}</Match>
      <Match when={session.failure()}>
        {(e) => (
          <>
            {props.heading ? <h1>{props.heading}</h1> : null}
            <p role="alert">
              {e().readable}{' '}
              <button type="button" onClick={() => void session.refresh(true)}>
                Try again
              </button>
            </p>
          </>
        )}
      </Match>
      <Match when={session.user() === null}>
        {props.heading ? <h1>{props.heading}</h1> : null}
        <p>
          Please <Link href={`/signin?next=${next()}`}>sign in</Link> or{' '}
          <Link href={`/signup?next=${next()}`}>create an account</Link> to see this page.
        </p>
      </Match>
    </Switch>
  );
}
