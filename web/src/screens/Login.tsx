import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import type { Me } from '../lib/types.js';

export function Login({ onLogin }: { onLogin: (r: { user: Me; csrfToken?: string }) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // After repeated failures the server makes logins wait (429 with Retry-After): count it down.
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(0);
  const waitSeconds = Math.max(0, Math.ceil((waitUntil - now) / 1000));
  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= waitUntil) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      onLogin(
        await api('/auth/login', {
          method: 'POST',
          body: { username: form.get('username'), password: form.get('password') },
        }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.retryAfterSeconds !== undefined) {
        setNow(Date.now());
        setWaitUntil(Date.now() + err.retryAfterSeconds * 1000);
      }
      setError(err instanceof ApiError ? err.problem.title : 'Could not log in');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <h1>BWV fleet</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby={error ? 'login-error' : undefined}>
        <label>
          Username
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p id="login-error" className="error" role="alert">
            {error}
            {waitSeconds > 0 && `. Try again in ${waitSeconds} s.`}
          </p>
        )}
        <button type="submit" disabled={busy || waitSeconds > 0}>
          {busy ? 'Logging in…' : waitSeconds > 0 ? `Wait ${waitSeconds} s` : 'Log in'}
        </button>
      </form>
    </main>
  );
}
