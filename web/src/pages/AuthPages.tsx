import { useNavigate, useSearchParams } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { AuthForm } from '../components/AuthForm';
import { Link } from '../components/Link';
import { pageTitle } from '../title';

/**
 * Where to go after signing in: a path on this site only, so `?next=` cannot send anyone
 * elsewhere. Browsers read a backslash as a slash and drop tabs and newlines, so `/\evil.example`
 * is the host evil.example (the router's replaceState then throws and the customer is stuck on
 * the sign-in page); both are refused.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return '/specs';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  return /[\\\u0000-\u001f\u007f]/.test(next) ? '/specs' : next;
}

export function SignInPage(): JSX.Element {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  pageTitle(() => 'Sign in');
  return (
    <section class="page narrow">
      <h1>Sign in</h1>
      <AuthForm mode="signin" onDone={() => navigate(safeNext(search.next), { replace: true })} />
      <p>
        New here?{' '}
        <Link href={`/signup${search.next ? `?next=${encodeURIComponent(String(search.next))}` : ''}`}>
          Create an account
        </Link>
      </p>
    </section>
  );
}

export function SignUpPage(): JSX.Element {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  pageTitle(() => 'Create an account');
  return (
    <section class="page narrow">
      <h1>Create an account</h1>
      <AuthForm mode="signup" onDone={() => navigate(safeNext(search.next), { replace: true })} />
      <p>
        Have an account?{' '}
        <Link href={`/signin${search.next ? `?next=${encodeURIComponent(String(search.next))}` : ''}`}>
          Sign in
        </Link>
      </p>
    </section>
  );
}
