import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import type { Me } from '../lib/types.js';

export function Login({ onLogin }: { onLogin: (r: { user: Me; csrfToken?: string }) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
