// The signed-in user's own account (issue 19): change the password, as the first-run message and an
// admin's reset tell users to. The same strength rules as at creation, checked by the server; its
// refusals show beside the field they concern.
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { FieldError, invalidProps } from '../lib/FieldError.js';
import { fieldErrors, headline, problemOf } from '../lib/problem.js';
import type { Me } from '../lib/types.js';

const text = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === 'string' ? v : '';
};

export function Account({ me, onChanged }: { me: Me; onChanged: (me: Me) => void }) {
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const newPassword = text(f, 'newPassword');
    if (newPassword !== text(f, 'repeatPassword')) {
      setErrors({ repeatPassword: 'the two new passwords differ' });
      setStatus({ ok: false, text: 'Type the same new password twice' });
      return;
    }
    api<Me>('/auth/password', {
      method: 'POST',
      body: { currentPassword: text(f, 'currentPassword'), newPassword },
    }).then(
      (user) => {
        form.reset();
        setErrors({});
        setStatus({
          ok: true,
          text: 'Password changed. Your other browser sessions have ended; this one and your API tokens stay.',
        });
        // After a forced change, stay here to read the confirmation (the screen asked for was
        // withheld until now): the menu leads on.
        if (me.mustChangePassword) window.location.hash = '#/account';
        onChanged(user);
      },
      (err: unknown) => {
        const problem = problemOf(err);
        setErrors(fieldErrors(problem));
        setStatus({ ok: false, text: headline(problem) });
      },
    );
  };

  return (
    <>
      <h1>My account</h1>
      <p>
        {me.displayName} ({me.username}) · {me.role}
        {me.station ? ` · ${me.station}` : ' · force-wide'}
      </p>
      {me.mustChangePassword && (
        <p className="error" id="must-change">
          An administrator set your password. Choose your own before you carry on.
        </p>
      )}
      <div role="status" aria-live="polite">
        {status && <p className={status.ok ? 'okmsg' : 'error'}>{status.text}</p>}
      </div>
      <form className="grid-form account-form" onSubmit={submit} aria-labelledby="pw-h">
        <h2 id="pw-h">Change my password</h2>
        <p className="muted">
          At least 12 characters, and not one that is guessed early: a few unusual words, or a password
          manager&apos;s, will do. Not your name or this product&apos;s.
        </p>
        <label>
          Current password{' '}
          <input
            name="currentPassword"
            type="password"
            required
            autoComplete="current-password"
            {...invalidProps({ id: 'pw-current-err', message: errors.currentPassword })}
          />
          <FieldError id="pw-current-err" message={errors.currentPassword} />
        </label>
        <label>
          New password{' '}
          <input
            name="newPassword"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            {...invalidProps({ id: 'pw-new-err', message: errors.newPassword })}
          />
          <FieldError id="pw-new-err" message={errors.newPassword} />
        </label>
        <label>
          New password again{' '}
          <input
            name="repeatPassword"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            {...invalidProps({ id: 'pw-repeat-err', message: errors.repeatPassword })}
          />
          <FieldError id="pw-repeat-err" message={errors.repeatPassword} />
        </label>
        <button type="submit">Change password</button>
      </form>
    </>
  );
}
