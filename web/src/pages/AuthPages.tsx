import { useNavigate, useSearchParams } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { AuthForm } from '../components/AuthForm';
import { Link } from '../components/Link';

/** Only same-site paths, so `?next=` cannot send anyone elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/specs';
}

export function SignInPage(): JSX.Element {
  const [search] = useSearchParams();
  const navigate = useNavigate();
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
