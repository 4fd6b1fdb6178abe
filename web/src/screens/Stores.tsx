// The stores desk: built for a barcode scanner that types the code and Enter. The scan box keeps
// focus; every outcome is a big banner that says what happened and what to do.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, ApiError } from '../api.js';
import { feedbackFor, firmwareRefusal, type Feedback } from '../lib/refusals.js';
import {
  CONDITION_KEYS,
  initialDesk,
  onScan,
  prompt,
  type DeskAction,
  type DeskMode,
  type DeskState,
} from '../lib/scan.js';
import type { DeskProblem } from '../../../src/assignments/assignments.responses.js';
import type { Camera, Me, Station, Stock } from '../lib/types.js';
import { StoresIssueList } from './StoresIssueList.js';

interface Txn {
  at: string;
  what: string;
  ok: boolean;
}

/** A camera's register status that already tells why it cannot be issued (same slugs as the API). */
const ISSUE_REFUSAL: Partial<Record<Camera['status'], DeskProblem>> = {
  issued: 'camera-already-issued',
  faulty: 'camera-faulty',
  in_repair: 'camera-in-repair',
  lost: 'camera-lost',
  retired: 'camera-retired',
};

const RECENT_KEY = 'bwv.stores.recent';

export function Stores({ me }: { me: Me }) {
  const [desk, setDeskState] = useState<DeskState>(initialDesk());
  // Scanners type faster than the API answers: scans queue up and run one at a time against the
  // latest desk state (a ref, not the render's copy).
  const deskRef = useRef(desk);
  const queue = useRef(Promise.resolve());
  const setDesk = (s: DeskState) => {
    deskRef.current = s;
    setDeskState(s);
  };
  const [loan, setLoan] = useState<'pool' | 'personal'>('pool');
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [recent, setRecent] = useState<Txn[]>(
    () => JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]') as Txn[],
  );
  const [station, setStation] = useState(me.station ?? '');
  const [stations, setStations] = useState<Station[]>([]);
  const [stock, setStock] = useState<Stock | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const refreshStock = useCallback(() => {
    if (station) api<Stock>(`/stations/${station}/stock`).then(setStock, () => setStock(null));
  }, [station]);
  useEffect(refreshStock, [refreshStock]);
  useEffect(() => {
    if (!me.station)
      void api<Station[]>('/stations').then((l) => {
        setStations(l);
        setStation((s) => s || l[0]?.code || '');
      });
  }, [me.station]);
  useEffect(() => input.current?.focus(), [desk]);

  const log = (what: string, ok: boolean) =>
    setRecent((r) => {
      const next = [{ at: new Date().toISOString(), what, ok }, ...r].slice(0, 15);
      sessionStorage.setItem(RECENT_KEY, JSON.stringify(next));
      return next;
    });

  const refuse = (err: unknown, mode: DeskMode) => {
    const f = err instanceof ApiError ? feedbackFor(err.slug, err.problem.detail) : feedbackFor('unknown');
    setFeedback(f);
    log(`${mode === 'issue' ? 'Issue' : 'Return'} refused: ${f.headline}`, false);
    setDesk(initialDesk(mode));
  };

  const run = async (action: DeskAction, mode: DeskMode) => {
    if (!action) return;
    if (action.type === 'reject') {
      setFeedback({ tone: 'refused', headline: 'Not accepted', advice: action.reason });
      return;
    }
    try {
      if (action.type === 'issue') {
        await api('/checkouts', {
          method: 'POST',
          body: { camera: action.camera, officer: action.officer, mode: loan },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        });
        setFeedback({
          tone: 'ok',
          headline: `Issued ${action.camera}`,
          advice: `To officer ${action.officer} (${loan}). Scan the next camera.`,
        });
        log(`Issued ${action.camera} to ${action.officer}`, true);
      } else {
        await api('/checkins', {
          method: 'POST',
          body: { camera: action.camera, condition: action.condition },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        });
        setFeedback({
          tone: 'ok',
          headline: `Returned ${action.camera}`,
          advice:
            action.condition === 'ok'
              ? 'Back in stock. Put it in a dock.'
              : `Recorded as ${action.condition}: put it in the repair tray.`,
        });
        log(`Returned ${action.camera} (${action.condition})`, true);
      }
      setDesk(initialDesk(mode));
      refreshStock();
    } catch (err) {
      refuse(err, mode);
    }
  };

  const submit = async (raw: string) => {
    const desk = deskRef.current;
    const mode = desk.mode;
    // A scanned camera is checked at once, so a faulty or unknown camera is refused before the card.
    if (desk.step === 'camera' && raw.trim()) {
      const serial = raw.trim();
      try {
        const cam = await api<Camera & { live?: unknown }>(`/cameras/${encodeURIComponent(serial)}`);
        const slug =
          mode === 'issue'
            ? ISSUE_REFUSAL[cam.status]
            : cam.status === 'issued'
              ? undefined
              : 'camera-not-issued';
        if (slug)
          return refuse(
            new ApiError({
              type: `/problems/${slug}`,
              title: slug,
              status: 409,
              detail: `Camera '${serial}' is ${cam.status.replace('_', ' ')}`,
            }),
            mode,
          );
        const unfit = mode === 'issue' ? firmwareRefusal(cam.live) : null;
        if (unfit) {
          setFeedback(unfit);
          log(`Issue refused: ${unfit.headline} (${serial})`, false);
          return setDesk(initialDesk(mode));
        }
      } catch (err) {
        return refuse(err, mode);
      }
      setFeedback(null);
    }
    const { state, action } = onScan(desk, raw);
    setDesk(state);
    await run(action, mode);
  };

  const enqueue = (step: () => Promise<void> | void) => {
    queue.current = queue.current.then(step).catch(() => undefined);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const key = e.key;
    if (key === 'Enter') {
      e.preventDefault();
      const v = e.currentTarget.value;
      e.currentTarget.value = '';
      enqueue(() => submit(v));
    } else if (key === 'Escape') {
      e.currentTarget.value = '';
      enqueue(() => {
        setDesk(initialDesk(deskRef.current.mode));
        setFeedback({ tone: 'error', headline: 'Cancelled', advice: 'Nothing was changed.' });
      });
    } else if (CONDITION_KEYS[key] && e.currentTarget.value === '' && deskRef.current.step === 'condition') {
      e.preventDefault();
      enqueue(() => submit(key));
    } else if (key === 'F2' || key === 'F4') {
      e.preventDefault();
      enqueue(() => {
        setDesk(initialDesk(key === 'F2' ? 'issue' : 'return'));
        setFeedback(null);
      });
    }
  };

  return (
    <>
      <h1>Stores desk{station ? ` · ${station}` : ''}</h1>
      <div className="desk">
        <div className="modes" role="group" aria-label="Desk mode">
          <button
            type="button"
            aria-pressed={desk.mode === 'issue'}
            onClick={() => setDesk(initialDesk('issue'))}
          >
            Issue <kbd>F2</kbd>
          </button>
          <button
            type="button"
            aria-pressed={desk.mode === 'return'}
            onClick={() => setDesk(initialDesk('return'))}
          >
            Return <kbd>F4</kbd>
          </button>
          <label className="inline">
            Loan{' '}
            <select value={loan} onChange={(e) => setLoan(e.target.value as 'pool' | 'personal')}>
              <option value="pool">pool (this shift)</option>
              <option value="personal">personal issue</option>
            </select>
          </label>
        </div>
        <label className="scan">
          <span className="prompt" data-testid="prompt">
            {prompt(desk)}
          </span>
          <input
            ref={input}
            onKeyDown={onKey}
            autoComplete="off"
            spellCheck={false}
            aria-busy={desk.step === 'busy'}
            aria-describedby="scan-help"
          />
        </label>
        <p id="scan-help" className="muted">
          Scan, or type and press Enter. Escape cancels. F2 issue, F4 return. Returns: 1 ok, 2 damaged, 3
          faulty.
        </p>
        <div role="alert" aria-live="assertive" data-testid="feedback">
          {feedback && (
            <div className={`feedback tone-${feedback.tone}`}>
              <p className="big">
                {feedback.tone === 'ok' ? '✓ ' : feedback.tone === 'refused' ? '✗ ' : ''}
                {feedback.headline}
              </p>
              <p>{feedback.advice}</p>
            </div>
          )}
        </div>
      </div>
      <div className="cards">
        <section className="card" aria-labelledby="recent-h">
          <h2 id="recent-h">Recent at this desk</h2>
          {recent.length === 0 ? (
            <p>Nothing yet.</p>
          ) : (
            <ol className="recent">
              {recent.map((t) => (
                <li key={t.at + t.what} className={t.ok ? 'ok' : 'bad'}>
                  <time>{new Date(t.at).toLocaleTimeString()}</time> {t.what}
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="card" aria-labelledby="stock-h">
          <h2 id="stock-h">Station stock</h2>
          {!me.station && (
            <label className="inline">
              Station{' '}
              <select value={station} onChange={(e) => setStation(e.target.value)}>
                {stations.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.code}
                  </option>
                ))}
              </select>
            </label>
          )}
          {stock ? (
            <dl className="stock" data-testid="stock">
              {Object.entries(stock.byStatus).map(([k, v]) => (
                <div key={k}>
                  <dt>{k.replace('_', ' ')}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p>No station selected.</p>
          )}
        </section>
        <StoresIssueList station={station} version={stock} />
      </div>
    </>
  );
}
