import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, setCsrf } from './api.js';
import { homeFor, SCREENS, screensFor, type Screen } from './lib/nav.js';
import type { Me } from './lib/types.js';
import { startLive, stopLive, useLive } from './live.js';
import { href, useRoute } from './route.js';
import { Admin } from './screens/Admin.js';
import { CameraDetail } from './screens/CameraDetail.js';
import { Fleet } from './screens/Fleet.js';
import { Login } from './screens/Login.js';
import { Readiness } from './screens/Readiness.js';
import { Stores } from './screens/Stores.js';
import { Clips } from './screens/Clips.js';
import { Account } from './screens/Account.js';

// IT's screens (and semver) load only for those who open them: the other roles' first load stays
// as small as it was.
const Firmware = lazy(() => import('./screens/Firmware.js').then((m) => ({ default: m.Firmware })));
// Likewise the programme screen (issue 17): the programme lead, the board, admins and auditors.
const Programme = lazy(() => import('./screens/Programme.js').then((m) => ({ default: m.Programme })));
// And set-up (issue 19): stores staff and admins register stations, docks, cameras, officers.
const Setup = lazy(() => import('./screens/Setup.js').then((m) => ({ default: m.Setup })));
// The audit trail (issue 19): auditors and admins.
const Audit = lazy(() => import('./screens/Audit.js').then((m) => ({ default: m.Audit })));

interface MeResponse {
  user: Me;
  csrfToken?: string;
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const signedIn = useCallback((r: MeResponse) => {
    setCsrf(r.csrfToken ?? null);
    setMe(r.user);
    startLive();
  }, []);

  useEffect(() => {
    startLive();
    api<MeResponse>('/me').then(signedIn, () => setMe(null));
  }, [signedIn]);

  const logout = async () => {
    await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    stopLive();
    setCsrf(null);
    setMe(null);
    window.location.hash = '';
  };

  if (me === undefined) return <p className="loading">Loading…</p>;
  // A feed opened before signing in had no session (it may still be waiting to be refused):
  // start afresh.
  const loggedIn = (r: MeResponse) => {
    stopLive();
    signedIn(r);
  };
  if (me === null) return <Login onLogin={loggedIn} />;
  return <Shell me={me} onLogout={() => void logout()} onMe={setMe} />;
}

function Shell({ me, onLogout, onMe }: { me: Me; onLogout: () => void; onMe: (me: Me) => void }) {
  const route = useRoute();
  const allowed = screensFor(me.role);
  const chosen = (allowed as string[]).includes(route[0] ?? '') ? (route[0] as Screen) : homeFor(me.role);
  // After an admin's reset the server answers nothing else until the user chooses a password.
  const screen: Screen = me.mustChangePassword ? 'account' : chosen;
  const connection = useLive((s) => s.connection);

  useEffect(() => {
    document.title = `${SCREENS[screen].label} · BWV fleet`;
  }, [screen]);

  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <span className="brand">BWV fleet</span>
        <nav aria-label="Screens">
          <ul>
            {allowed.map((s) => (
              <li key={s}>
                <a href={href(s)} aria-current={s === screen ? 'page' : undefined}>
                  {SCREENS[s].label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className={`conn conn-${connection}`} role="status" aria-live="polite">
          {connection === 'live'
            ? 'Live'
            : connection === 'refused'
              ? 'Not signed in'
              : connection === 'offline'
                ? 'Reconnecting…'
                : 'Connecting…'}
        </span>
        <span className="who">
          {me.displayName} · {me.role}
          {me.station ? ` · ${me.station}` : ''}
        </span>
        <button type="button" className="secondary" onClick={onLogout}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {screen === 'fleet' && route[1] === 'camera' && route[2] ? (
          <CameraDetail serial={route[2]} />
        ) : screen === 'fleet' ? (
          <Fleet me={me} />
        ) : screen === 'readiness' ? (
          <Readiness me={me} />
        ) : screen === 'stores' ? (
          <Stores me={me} />
        ) : screen === 'clips' ? (
          <Clips me={me} route={route} />
        ) : screen === 'firmware' ? (
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <Firmware me={me} route={route} />
          </Suspense>
        ) : screen === 'programme' ? (
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <Programme me={me} route={route} />
          </Suspense>
        ) : screen === 'setup' ? (
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <Setup me={me} route={route} />
          </Suspense>
        ) : screen === 'audit' ? (
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <Audit me={me} />
          </Suspense>
        ) : screen === 'account' ? (
          <Account me={me} onChanged={onMe} />
        ) : (
          <Admin me={me} />
        )}
      </main>
    </>
  );
}
