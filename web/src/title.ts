import { createEffect } from 'solid-js';

/**
 * Names the browser tab after the page shown, "Checkout · Tailorloop" (WCAG 2.4.2): the tab,
 * the history menu and a screen reader's page change all read it. `what` is tracked, so a page
 * whose name arrives with its data (a product, an order) renames the tab when it does.
 */
export function pageTitle(what: () => string | undefined): void {
  createEffect(() => {
    const w = what();
    document.title = w ? `${w} · Tailorloop` : 'Tailorloop';
  });
}
