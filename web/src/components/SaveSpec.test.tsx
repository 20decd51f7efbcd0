import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { session } from '../stores/session';
import SaveSpec from './SaveSpec';

beforeEach(() => session.set({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' }));
afterEach(() => {
  cleanup();
  session.set(undefined);
});

const description = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();

describe('save spec', () => {
  it('says why "Save spec" is disabled, and stops once it is not', () => {
    const [complete, setComplete] = createSignal(false);
    render(() => (
      <SaveSpec
        productId="jeans"
        selection={{ fit: 'slim' }}
        complete={complete()}
        measurements={undefined}
        specId={undefined}
        returnTo="/p/jeans?fit=slim"
        onSaved={() => undefined}
        onSignIn={() => undefined}
      />
    ));
    const button = screen.getByRole('button', { name: 'Save spec' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(description(button)).toMatch(/finish the configuration/i);
    expect(screen.getByText(/finish the configuration/i)).toBeTruthy();

    setComplete(true);
    expect(button.disabled).toBe(true);
    expect(description(button)).toMatch(/name/i);

    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Work jeans' } });
    expect(button.disabled).toBe(false);
    expect(description(button)).toBe('');
  });
});
