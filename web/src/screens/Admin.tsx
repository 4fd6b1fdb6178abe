import { useCallback, useEffect, useState, type FormEvent } from 'react';
// The server's own list (src/shared/roles.ts): a role added there, reviewer say, is in every picker.
import { ROLES, type Role } from '../../../src/shared/roles.js';
import { api } from '../api.js';
import { FieldError, invalidProps } from '../lib/FieldError.js';
import { fieldErrors, headline, problemOf } from '../lib/problem.js';
import type { Me, Station, Token, User } from '../lib/types.js';

/** The scope choice that means "every station": a force-wide user. */
const FORCE_WIDE = '*';
const ONE_STATION = 'station';
const field = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === 'string' ? v : '';
};
/** The home station a form asks for: null for force-wide, else the code typed or picked. */
const homeStation = (f: FormData) =>
  field(f, 'scope') === FORCE_WIDE ? null : field(f, 'station').trim().toUpperCase();

type Errors = Record<string, string>;

export function Admin({ me }: { me: Me }) {
  const [users, setUsers] = useState<User[]>([]);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [newToken, setNewToken] = useState<string | null>(null);
  const [deviceCreds, setDeviceCreds] = useState<{ username: string; password: string } | null>(null);
  const [stations, setStations] = useState<Station[]>([]);
  /** A role picked in the table, waiting for the admin to confirm it (issue 19). */
  const [pendingRole, setPendingRole] = useState<{ username: string; from: Role; to: Role } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [newScope, setNewScope] = useState<string>('');
  /** Field messages from the API's problem, per form. */
  const [errors, setErrors] = useState<Record<'create' | 'edit' | 'reset', Errors>>({
    create: {},
    edit: {},
    reset: {},
  });

  const load = useCallback(() => {
    void api<User[]>('/users').then(setUsers);
    void api<Token[]>('/auth/tokens').then(setTokens);
    void api<Station[]>('/stations').then(setStations);
  }, []);
  useEffect(load, [load]);

  const act = async (what: () => Promise<unknown>, ok: string, form?: keyof typeof errors) => {
    try {
      await what();
      setStatus({ ok: true, text: ok });
      if (form) setErrors((e) => ({ ...e, [form]: {} }));
      load();
      return true;
    } catch (e) {
      const problem = problemOf(e);
      setStatus({ ok: false, text: headline(problem) });
      if (form) setErrors((all) => ({ ...all, [form]: fieldErrors(problem) }));
      return false;
    }
  };

  const createUser = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    void act(
      () =>
        api('/users', {
          method: 'POST',
          body: {
            username: f.get('username'),
            displayName: f.get('displayName'),
            role: f.get('role'),
            station: homeStation(f),
            password: f.get('password'),
          },
        }).then(() => {
          form.reset();
          setNewScope('');
        }),
      `User ${field(f, 'username')} created`,
      'create',
    );
  };

  const confirmRole = () => {
    if (!pendingRole) return;
    const { username, to } = pendingRole;
    void act(
      () => api(`/users/${username}`, { method: 'PATCH', body: { role: to } }),
      `${username} is now ${to}`,
    ).then(() => setPendingRole(null));
  };

  const editUser = (u: User) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const station = homeStation(f);
    // Only what changed: a station sent unchanged would still end the user's live feeds.
    const body = {
      ...(field(f, 'displayName') !== u.displayName && { displayName: field(f, 'displayName') }),
      ...(station !== u.station && { station }),
    };
    void act(
      () =>
        Object.keys(body).length ? api(`/users/${u.username}`, { method: 'PATCH', body }) : Promise.resolve(),
      `${u.username} updated`,
      'edit',
    );
  };

  const resetPassword = (u: User) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const password = field(new FormData(form), 'password');
    void act(
      () => api(`/users/${u.username}`, { method: 'PATCH', body: { password } }).then(() => form.reset()),
      `Password of ${u.username} reset: their sessions and API tokens ended, and they must choose their own password when they next log in`,
      'reset',
    );
  };

  const editingUser = users.find((u) => u.username === editing) ?? null;

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
        {pendingRole && (
          // A role is a grant: picking one in the table only proposes it (issue 19).
          <div className="confirm" role="group" aria-labelledby="confirm-role-h">
            <p id="confirm-role-h">
              Change <strong>{pendingRole.username}</strong> from <strong>{pendingRole.from}</strong> to{' '}
              <strong>{pendingRole.to}</strong>? What they were allowed under the old role ends at once.
            </p>
            <button type="button" onClick={confirmRole}>
              Make {pendingRole.username} {pendingRole.to}
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setPendingRole(null)}>
              Keep {pendingRole.from}
            </button>
          </div>
        )}
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="users-h">
          <table>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Station</th>
                <th scope="col">Active</th>
                <th scope="col">Edit</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.username}>
                  <th scope="row">
                    {u.username}
                    {u.mustChangePassword && <span className="badge h-warning">must change password</span>}
                  </th>
                  <td>{u.displayName}</td>
                  <td>
                    <select
                      aria-label={`Role of ${u.username}`}
                      value={pendingRole?.username === u.username ? pendingRole.to : u.role}
                      disabled={u.username === me.username}
                      onChange={(e) => {
                        const to = e.target.value as Role;
                        setPendingRole(to === u.role ? null : { username: u.username, from: u.role, to });
                      }}
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
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-pressed={editing === u.username}
                      onClick={() => {
                        setEditing(editing === u.username ? null : u.username);
                        setErrors((e) => ({ ...e, edit: {}, reset: {} }));
                      }}
                    >
                      Edit {u.username}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <datalist id="station-codes">
          {stations.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}
            </option>
          ))}
        </datalist>
        {editingUser && (
          <div className="admin-edit" key={editingUser.username}>
            <form className="grid-form" onSubmit={editUser(editingUser)} aria-labelledby="edit-user-h">
              <h3 id="edit-user-h">Edit {editingUser.username}</h3>
              <label>
                Display name{' '}
                <input
                  name="displayName"
                  required
                  defaultValue={editingUser.displayName}
                  {...invalidProps({ id: 'edit-displayName-err', message: errors.edit.displayName })}
                />
                <FieldError id="edit-displayName-err" message={errors.edit.displayName} />
              </label>
              <StationFields prefix="edit" defaultStation={editingUser.station} error={errors.edit.station} />
              <button type="submit">Save {editingUser.username}</button>
            </form>
            {editingUser.username !== me.username && (
              <form className="grid-form" onSubmit={resetPassword(editingUser)} aria-labelledby="reset-pw-h">
                <h3 id="reset-pw-h">Reset the password of {editingUser.username}</h3>
                <p className="muted">
                  Ends their sessions and API tokens. Tell them the new password in person: they must choose
                  their own when they next log in.
                </p>
                <label>
                  New password (12+){' '}
                  <input
                    name="password"
                    type="password"
                    required
                    minLength={12}
                    autoComplete="new-password"
                    {...invalidProps({ id: 'reset-password-err', message: errors.reset.password })}
                  />
                  <FieldError id="reset-password-err" message={errors.reset.password} />
                </label>
                <button type="submit">Reset password</button>
              </form>
            )}
          </div>
        )}
        <form className="grid-form" onSubmit={createUser} aria-labelledby="new-user-h">
          <h3 id="new-user-h">New user</h3>
          <label>
            Username{' '}
            <input
              name="username"
              required
              pattern="[A-Za-z0-9._\-]{2,64}"
              {...invalidProps({ id: 'create-username-err', message: errors.create.username })}
            />
            <FieldError id="create-username-err" message={errors.create.username} />
          </label>
          <label>
            Display name{' '}
            <input
              name="displayName"
              required
              {...invalidProps({ id: 'create-displayName-err', message: errors.create.displayName })}
            />
            <FieldError id="create-displayName-err" message={errors.create.displayName} />
          </label>
          <label>
            Role
            <select name="role" defaultValue="stores">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <StationFields
            prefix="create"
            error={errors.create.station}
            scope={newScope}
            onScope={setNewScope}
          />
          <label>
            Password (12+){' '}
            <input
              name="password"
              type="password"
              minLength={12}
              required
              autoComplete="new-password"
              {...invalidProps({ id: 'create-password-err', message: errors.create.password })}
            />
            <FieldError id="create-password-err" message={errors.create.password} />
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

/**
 * Where a user works: an explicit choice between one station (its code, typed or picked from the
 * register's list) and force-wide, a grant that is never a forgotten field. The API refuses a code
 * that is not in the register; its message shows beside the code.
 */
function StationFields({
  prefix,
  error,
  defaultStation,
  scope,
  onScope,
}: {
  prefix: string;
  error: string | undefined;
  defaultStation?: string | null;
  /** Controlled scope (the new-user form resets it); otherwise from `defaultStation`. */
  scope?: string;
  onScope?: (s: string) => void;
}) {
  const [own, setOwn] = useState(
    defaultStation === undefined ? '' : defaultStation === null ? FORCE_WIDE : ONE_STATION,
  );
  const value = scope ?? own;
  const set = onScope ?? setOwn;
  const errId = `${prefix}-station-err`;
  return (
    <>
      <label>
        Scope
        <select name="scope" required value={value} onChange={(e) => set(e.target.value)}>
          <option value="" disabled>
            Choose…
          </option>
          <option value={ONE_STATION}>One home station</option>
          <option value={FORCE_WIDE}>Force-wide (every station)</option>
        </select>
      </label>
      {value === ONE_STATION && (
        <label>
          Home station code{' '}
          <input
            name="station"
            list="station-codes"
            required
            autoCapitalize="characters"
            defaultValue={defaultStation ?? ''}
            {...invalidProps({ id: errId, message: error })}
          />
          <FieldError id={errId} message={error} />
        </label>
      )}
    </>
  );
}
