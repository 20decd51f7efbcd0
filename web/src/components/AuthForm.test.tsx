import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../test-utils';
import { AuthForm } from './AuthForm';

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

describe('sign-up form', () => {
  it('shows each server error next to its field and keeps what was typed', async () => {
    stubFetch({
      'POST /api/auth/register': () => ({
        status: 422,
        body: {
          title: 'Invalid request',
          status: 422,
          errors: [{ path: 'password', code: 'too_small', message: 'Use at least 8 characters.' }],
        },
      }),
    });
    const done = vi.fn();
    render(() => <AuthForm mode="signup" onDone={done} />);
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada' } });
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Use at least 8 characters.')).toBeTruthy();
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('ada@example.com');
    expect(done).not.toHaveBeenCalled();
  });

  it('asks for the password length the shop accepts (10 characters), not a shorter one', () => {
    render(() => <AuthForm mode="signup" onDone={() => undefined} />);
    const hint = document.getElementById(
      screen.getByLabelText('Password').getAttribute('aria-describedby')!,
    )!;
    expect(hint.textContent).toBe('At least 10 characters.');
  });

  it('says how long to wait when the shop limits sign-ups from this address', async () => {
    stubFetch({
      'POST /api/auth/register': () => ({
        status: 429,
        body: { title: 'Too many accounts registered from this address', status: 429, retryAfter: 2460 },
      }),
    });
    render(() => <AuthForm mode="signup" onDone={() => undefined} />);
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'Ada' } });
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByText('Too many attempts from here. Please try again in 41 minutes.');
  });

  it('signs in and reports who is signed in', async () => {
    stubFetch({
      'POST /api/auth/login': () => ({
        status: 200,
        body: { id: 'usr_1', email: 'ada@example.com', name: 'Ada' },
      }),
      'GET /api/me': () => ({ status: 200, body: { id: 'usr_1', email: 'ada@example.com', name: 'Ada' } }),
    });
    const done = vi.fn();
    render(() => <AuthForm mode="signin" onDone={done} />);
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'ada@example.com' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
  });
});
