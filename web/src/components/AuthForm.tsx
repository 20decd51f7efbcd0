import { createSignal, type JSX, Show } from 'solid-js';
import { ApiError } from '../api';
import { accountApi } from '../api-account';
import { session } from '../stores/session';

export interface AuthFormProps {
  mode: 'signin' | 'signup';
  onDone: () => void;
  onSwitch?: (mode: 'signin' | 'signup') => void;
  /** Heading level text; omitted when the surrounding page has its own heading. */
  title?: string;
}

/** Sign in or sign up; what was typed stays in the fields when the server says no. */
export function AuthForm(props: AuthFormProps): JSX.Element {
  const [name, setName] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<ApiError | Error>();
  const [busy, setBusy] = createSignal(false);
  const signup = () => props.mode === 'signup';
  const fieldError = (f: string) => {
    const e = error();
    return e instanceof ApiError ? e.errorFor(f) : undefined;
  };
  const general = () => {
    const e = error();
    if (!e) return '';
    if (e instanceof ApiError) {
      if (e.status === 401) return 'That email and password do not match an account.';
      if (e.status === 429) return `Too many attempts from here. Please try again ${waitFor(e.retryAfter)}.`;
      if (e.status === 409) return 'An account with this email already exists. Sign in instead.';
      return e.errors.length ? 'Please correct the fields marked below.' : e.readable;
    }
    return e.message;
  };
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (signup())
        await accountApi.register({ name: name().trim(), email: email().trim(), password: password() });
      else await accountApi.login({ email: email().trim(), password: password() });
      await session.refresh(true);
      props.onDone();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
    // The button was disabled while busy, which sent the focus back to the top of the page: bring
    // it back to the first field to correct, or to the button.
    if (error() && (!document.activeElement || document.activeElement === document.body))
      (form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector('button'))?.focus();
  };
  let form: HTMLFormElement | undefined;
  const id = (f: string) => `${props.mode}-${f}`;
  return (
    <form ref={form} class="auth-form" onSubmit={submit} novalidate aria-describedby={id('error')}>
      <Show when={props.title}>
        <h2>{props.title}</h2>
      </Show>
      <p id={id('error')} class="error" role="alert">
        {general()}
      </p>
      <Show when={signup()}>
        <div class="field">
          <label for={id('name')}>Name</label>
          <input
            id={id('name')}
            autocomplete="name"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={fieldError('name') ? 'true' : undefined}
            aria-describedby={id('name-err')}
          />
          <p class="error" id={id('name-err')}>
            {fieldError('name') ?? ''}
          </p>
        </div>
      </Show>
      <div class="field">
        <label for={id('email')}>Email</label>
        <input
          id={id('email')}
          type="email"
          autocomplete="email"
          value={email()}
          onInput={(e) => setEmail(e.currentTarget.value)}
          aria-invalid={fieldError('email') ? 'true' : undefined}
          aria-describedby={id('email-err')}
        />
        <p class="error" id={id('email-err')}>
          {fieldError('email') ?? ''}
        </p>
      </div>
      <div class="field">
        <label for={id('password')}>Password</label>
        <input
          id={id('password')}
          type="password"
          autocomplete={signup() ? 'new-password' : 'current-password'}
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
          aria-invalid={fieldError('password') ? 'true' : undefined}
          aria-describedby={id('password-err')}
        />
        <p class="error" id={id('password-err')}>
          {/* The server's rule (server/http/schemas.ts): a shorter hint led to a refused sign-up. */}
          {fieldError('password') ?? (signup() ? 'At least 10 characters.' : '')}
        </p>
      </div>
      <button type="submit" class="primary" disabled={busy()}>
        {signup() ? 'Create account' : 'Sign in'}
      </button>
      <Show when={props.onSwitch}>
        <p>
          {signup() ? 'Have an account? ' : 'New here? '}
          <button type="button" class="link" onClick={() => props.onSwitch?.(signup() ? 'signin' : 'signup')}>
            {signup() ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </Show>
    </form>
  );
}

/** "in a minute", "in 12 minutes", "in an hour": what a 429's retryAfter (seconds) means to a person. */
function waitFor(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 60) return 'in a minute';
  const minutes = Math.ceil(seconds / 60);
  if (minutes >= 60) return 'in an hour';
  return `in ${minutes} minutes`;
}
