// The stores desk: built for a barcode scanner that types the code and Enter. The scan box keeps
// focus; every outcome is a big banner that says what happened and what to do. A scanned camera is
// asked of the API at once (GET /checkouts/check: the check-out's own rules and the force's gates),
// so a refusal comes before the warrant card, naming the camera to take instead.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, ApiError } from '../api.js';
import { feedbackFor, feedbackForProblem, type Feedback } from '../lib/refusals.js';
import {
  CONDITION_KEYS,
  initialDesk,
  isRepeatScan,
  onScan,
  prompt,
  scanProblem,
  type DeskAction,
  type DeskMode,
  type DeskState,
  type LastIssue,
} from '../lib/scan.js';
import type { CheckoutResponse } from '../../../src/assignments/assignments.responses.js';
import type { Camera, Me, Station, Stock } from '../lib/types.js';
import { StoresIssueList } from './StoresIssueList.js';

interface Txn {
  at: string;
  what: string;
  ok: boolean;
}

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
  const lastIssue = useRef<LastIssue | null>(null);

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
  // The shelf below the station's minimum (cameras in transit are on no shelf): warned on the desk.
  const low =
    stock && stock.minimum !== null && stock.byStatus.in_stock < stock.minimum
      ? { station: stock.station, inStock: stock.byStatus.in_stock, minimum: stock.minimum }
      : null;

  const log = (what: string, ok: boolean) =>
    setRecent((r) => {
      const next = [{ at: new Date().toISOString(), what, ok }, ...r].slice(0, 15);
      sessionStorage.setItem(RECENT_KEY, JSON.stringify(next));
      return next;
    });

  const refuse = (err: unknown, mode: DeskMode) => {
    const f = err instanceof ApiError ? feedbackForProblem(err.slug, err.problem) : feedbackFor('unknown');
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
        const issued = await api<CheckoutResponse>('/checkouts', {
          method: 'POST',
          body: { camera: action.camera, officer: action.officer, mode: loan },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        });
        const who = issued.issuedTo;
        lastIssue.current = { camera: action.camera, officer: action.officer, at: Date.now() };
        setFeedback({
          tone: 'ok',
          headline: `Issued ${action.camera} to ${who.name}`,
          advice: `Check the name against the person (${loan}). Scan the next camera.`,
          who,
        });
        log(`Issued ${action.camera} to ${who.number} (${who.name})`, true);
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
    const code = raw.trim();
    if (!code) return;
    // What cannot be a camera or a card is said so before anything is asked of the API.
    const bad = scanProblem(code);
    if (bad) return setFeedback({ tone: 'refused', headline: 'Not accepted', advice: bad });
    if (desk.step === 'camera' && mode === 'issue' && isRepeatScan(lastIssue.current, code, Date.now())) {
      // The warrant card of the issue just made, read again: the issue stands, nothing to do.
      return setFeedback((f) =>
        f?.tone === 'ok'
          ? { ...f, advice: `Warrant card ${code} scanned again: the issue stands. Scan the next camera.` }
          : f,
      );
    }
    // A scanned camera is checked at once, so a camera that cannot be issued (or returned) is
    // refused before the card (or the condition).
    if (desk.step === 'camera') {
      try {
        if (mode === 'issue') {
          await api<Camera>(`/checkouts/check?camera=${encodeURIComponent(code)}`);
        } else {
          const cam = await api<Camera>(`/cameras/${encodeURIComponent(code)}`);
          if (cam.status !== 'issued')
            return refuse(
              new ApiError({
                type: '/problems/camera-not-issued',
                title: 'camera-not-issued',
                status: 409,
                detail: `Camera '${code}' is ${cam.status.replace('_', ' ')}`,
              }),
              mode,
            );
        }
      } catch (err) {
        return refuse(err, mode);
      }
      lastIssue.current = null;
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
              {feedback.who && (
                <dl className="issued-to" data-testid="issued-to">
                  <div>
                    <dt>Officer</dt>
                    <dd>{feedback.who.number}</dd>
                  </div>
                  <div>
                    <dt>Name</dt>
                    <dd>{feedback.who.name}</dd>
                  </div>
                  <div>
                    <dt>Station</dt>
                    <dd>{feedback.who.station}</dd>
                  </div>
                </dl>
              )}
              {feedback.instead && (
                <p className="instead" data-testid="instead">
                  {feedback.instead}
                </p>
              )}
              <p>{feedback.advice}</p>
            </div>
          )}
        </div>
        {low && (
          <p className="stock-warning" role="status" data-testid="low-stock">
            ⚠ Low stock at {low.station}: {low.inStock} camera{low.inStock === 1 ? '' : 's'} on the shelf,
            minimum {low.minimum}. Ask for a transfer or chase overdue returns.
          </p>
        )}
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
              <div>
                <dt>in transit (sent, not received)</dt>
                <dd>{stock.inTransit}</dd>
              </div>
              <div>
                <dt>minimum on the shelf</dt>
                <dd>{stock.minimum ?? 'not set'}</dd>
              </div>
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
