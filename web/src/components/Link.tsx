import { useLocation } from '@solidjs/router';
import type { JSX } from 'solid-js';

/**
 * A link inside the app, shown as the router's <A> shows it: the `active` class while the
 * current page is at or under `href` (exactly at it with `end`), and aria-current="page" on the
 * page it names. A plain <a>: the router still takes its click. <A> spreads its props onto the
 * element, and one spread anywhere keeps Solid's whole attribute table in the chunk every page
 * loads first (docs/decisions/034), so the shop links through this instead.
 */
export function Link(props: {
  href: string;
  end?: boolean;
  class?: string;
  children: JSX.Element;
}): JSX.Element {
  const location = useLocation();
  const path = (p: string) => p.split(/[?#]/, 1)[0]!.replace(/\/+$/, '').toLowerCase();
  const here = () => path(props.href) === path(location.pathname);
  const active = () => here() || (!props.end && path(location.pathname).startsWith(`${path(props.href)}/`));
  return (
    <a
      href={props.href}
      class={props.class}
      classList={{ active: active() }}
      aria-current={here() ? 'page' : undefined}
    >
      {props.children}
    </a>
  );
}
