import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ROLES } from '../../../src/shared/roles.js';
import { api, ApiError } from '../api.js';
import type { Me, Station, Token, User } from '../lib/types.js';

/** The home-station choice that means "every station": a force-wide user. */
const FORCE_WIDE = '*';
const field = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === 'string' ? v : '';
};
const message = (e: unknown) =>
  e instanceof ApiError ? `${e.problem.title}${e.problem.detail ? `: ${e.problem.detail}` : ''}` : 'Failed';

export function Admin({ me }: { me: Me }) {
  const [users, setUsers] = useState<User[]>([]);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [newToken, setNewToken] = useState<string | null>(null);
  const [deviceCreds, setDeviceCreds] = useState<{ username: string; password: string } | null>(null);
  const [stations, setStations] = useState<Station[]>([]);

  const load = useCallback(() => {
    void api<User[]>('/users').then(setUsers);
    void api<Token[]>('/auth/tokens').then(setTokens);
    void api<Station[]>('/stations').then(setStations);
  }, []);
  useEffect(load, [load]);

  const act = async (what: () => Promise<unknown>, ok: string) => {
    try {
      await what();
      setStatus({ ok: true, text: ok });
      load();
    } catch (e) {
      setStatus({ ok: false, text: message(e) });
    }
  };

  const createUser = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const station = field(f, 'station').trim();
    void act(
      () =>
        api('/users', {
          method: 'POST',
          body: {
            username: f.get('username'),
            displayName: f.get('displayName'),
            role: f.get('role'),
            station: station === FORCE_WIDE ? null : station,
            password: f.get('password'),
          },
        }).then(() => form.reset()),
      `User ${field(f, 'username')} created`,
    );
  };

  const createToken = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = field(new FormData(form), 'name');
    void act(async () => {
      const t = await api<{ token: string }>('/auth/tokens', { method: 'POST', body: { name } });
      setNewToken(t.token);
      form.reset();
    }, `Token ${name} created`);
  };

  const issueDeviceCredentials = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const kind = field(f, 'kind') === 'dock' ? 'docks' : 'cameras';
    const id = field(f, 'device').trim();
    void act(async () => {
      setDeviceCreds(
        await api<{ username: string; password: string }>(`/${kind}/${encodeURIComponent(id)}/credentials`, {
          method: 'POST',
        }),
      );
    }, `New MQTT credentials for ${id}; the old ones no longer work`);
  };

  return (
    <>
      <h1>Admin</h1>
      <div role="status" aria-live="polite">
        {status && <p className={status.ok ? 'okmsg' : 'error'}>{status.text}</p>}
      </div>
      <section aria-labelledby="users-h">
        <h2 id="users-h">Users and roles</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="users-h">
          <table>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Station</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.username}>
                  <th scope="row">{u.username}</th>
                  <td>{u.displayName}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.username}`}
                      value={u.role}
                      disabled={u.username === me.username}
                      onChange={(e) =>
                        void act(
                          () =>
                            api(`/users/${u.username}`, { method: 'PATCH', body: { role: e.target.value } }),
                          `${u.username} is now ${e.target.value}`,
                        )
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td>{u.station ?? 'force-wide'}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${u.username} active`}
                      checked={u.active}
                      disabled={u.username === me.username}
                      onChange={(e) =>
                        void act(
                          () =>
                            api(`/users/${u.username}`, {
                              method: 'PATCH',
                              body: { active: e.target.checked },
                            }),
                          `${u.username} ${e.target.checked ? 'enabled' : 'disabled'}`,
                        )
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form className="grid-form" onSubmit={createUser} aria-labelledby="new-user-h">
          <h3 id="new-user-h">New user</h3>
          <label>
            Username <input name="username" required pattern="[A-Za-z0-9._\-]{2,64}" />
          </label>
          <label>
            Display name <input name="displayName" required />
          </label>
          <label>
            Role
            <select name="role" defaultValue="stores">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          {/* An explicit choice: a stores or inspector user with a home station changes only that
              station's things; force-wide is a grant, never a forgotten field. */}
          <label>
            Home station
            <select name="station" required defaultValue="">
              <option value="" disabled>
                Choose…
              </option>
              <option value={FORCE_WIDE}>None: force-wide (every station)</option>
              {stations.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} · {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Password (12+){' '}
            <input name="password" type="password" minLength={12} required autoComplete="new-password" />
          </label>
          <button type="submit">Create user</button>
        </form>
      </section>
      <section aria-labelledby="tokens-h">
        <h2 id="tokens-h">My API tokens</h2>
        {newToken && (
          <p className="okmsg">
            New token (shown once, copy it now): <code data-testid="new-token">{newToken}</code>
          </p>
        )}
        <ul className="tokens">
          {tokens.map((t) => (
            <li key={t.id}>
              <code>{t.prefix}…</code> {t.name} · created {new Date(t.createdAt).toLocaleDateString()}{' '}
              {t.revokedAt ? (
                <span className="muted">revoked</span>
              ) : (
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    void act(
                      () => api(`/auth/tokens/${t.id}`, { method: 'DELETE' }),
                      `Token ${t.name} revoked`,
                    )
                  }
                >
                  Revoke {t.name}
                </button>
              )}
            </li>
          ))}
        </ul>
        <form className="inline-form" onSubmit={createToken}>
          <label>
            Token name <input name="name" required maxLength={100} />
          </label>
          <button type="submit">Create token</button>
        </form>
      </section>
      <section aria-labelledby="devcred-h">
        <h2 id="devcred-h">Device credentials</h2>
        <p className="muted">
          Issuing new MQTT credentials revokes the device&apos;s old ones and disconnects it.
        </p>
        <form className="inline-form" onSubmit={issueDeviceCredentials}>
          <label>
            Kind
            <select name="kind" defaultValue="camera">
              <option value="camera">camera</option>
              <option value="dock">dock</option>
            </select>
          </label>
          <label>
            Serial or dock id <input name="device" required pattern="[A-Za-z0-9_\-]{1,40}" />
          </label>
          <button type="submit">Issue credentials</button>
        </form>
        {deviceCreds && (
          <p className="okmsg">
            Shown once: username <code>{deviceCreds.username}</code>, password{' '}
            <code data-testid="device-password">{deviceCreds.password}</code>
          </p>
        )}
      </section>
    </>
  );
}
