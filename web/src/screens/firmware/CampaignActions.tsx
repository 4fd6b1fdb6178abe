// What a person may do to a campaign now: approve it (or the wave that waits), pause it with a
// reason, resume, cancel, roll it back. Someone who created the campaign is told why they cannot
// approve it instead of being offered a button (the two-person rule); the auditor is offered nothing.
import { useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { campaignActions, pendingApproval, twoPersonMessage } from '../../lib/firmware/rules.js';
import type { CampaignDetail } from '../../lib/firmware/types.js';
import type { Me } from '../../lib/types.js';
import { href } from '../../route.js';
import { BASE, problemOf, type Outcome, formText } from './common.js';

type Confirming = null | 'pause' | 'cancel' | 'rollback';

export function CampaignActions({
  c,
  me,
  onDone,
}: {
  c: CampaignDetail;
  me: Me;
  onDone: (o: Outcome) => void;
}) {
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [busy, setBusy] = useState(false);
  const can = campaignActions(c, me);
  const path = `${BASE}/campaigns/${encodeURIComponent(c.id)}`;

  const run = async (action: string, text: string, body?: unknown) => {
    setBusy(true);
    try {
      const r = await api<{ id?: string } | undefined>(`${path}/${action}`, {
        method: 'POST',
        ...(body !== undefined && { body }),
      });
      setConfirming(null);
      onDone({ ok: true, text });
      if (action === 'rollback' && r?.id) window.location.hash = href('firmware', 'campaigns', r.id);
    } catch (e) {
      onDone({ ok: false, problem: problemOf(e) });
    } finally {
      setBusy(false);
    }
  };

  const pause = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const reason = formText(new FormData(e.currentTarget), 'reason');
    void run('pause', `Paused: ${reason}. Updates already under way finish; nothing new is sent.`, {
      reason,
    });
  };

  const held = pendingApproval(c);
  const nothing =
    !can.approve && !can.ownCampaign && !can.pause && !can.resume && !can.cancel && !can.rollback;
  if (nothing) return null;

  return (
    <section aria-labelledby="actions-h" className="fw-actions">
      <h3 id="actions-h" className="visually-hidden">
        Actions
      </h3>
      {can.ownCampaign && held && (
        <p className="fw-note" data-testid="two-person">
          {twoPersonMessage(c, me, held.wave)}
        </p>
      )}
      {confirming === 'pause' ? (
        <form className="fw-inline-form" onSubmit={pause} aria-label="Pause the campaign">
          <label>
            Why pause?
            <input name="reason" required maxLength={300} autoFocus />
          </label>
          <div className="fw-buttons">
            <button type="submit" disabled={busy}>
              Pause campaign
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              Keep running
            </button>
          </div>
        </form>
      ) : confirming === 'cancel' || confirming === 'rollback' ? (
        <div className="fw-inline-form" role="group" aria-label={`Confirm ${confirming}`}>
          <p>
            {confirming === 'cancel'
              ? 'Cancel this campaign? Devices not yet sent the update are left as they are; updates already under way finish and are recorded. It cannot be restarted.'
              : `Roll back? A new campaign puts the ${c.counts.succeeded ?? 0} devices this one updated back on their previous version. It too needs someone else's approval.`}
          </p>
          <div className="fw-buttons">
            <button
              type="button"
              className={confirming === 'cancel' ? 'danger' : undefined}
              disabled={busy}
              onClick={() =>
                void (confirming === 'cancel'
                  ? run('cancel', 'Canceled: nothing more is sent.')
                  : run('rollback', 'Rollback campaign created: it awaits approval.'))
              }
            >
              {confirming === 'cancel' ? 'Yes, cancel the campaign' : 'Yes, create the rollback'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              No
            </button>
          </div>
        </div>
      ) : (
        <div className="fw-buttons">
          {can.approve && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(
                  'approve',
                  can.approve?.wave == null
                    ? 'Approved: the first wave starts now.'
                    : `Approved: wave ${can.approve.wave} starts now.`,
                )
              }
            >
              {can.approve.wave == null ? 'Approve campaign' : `Approve wave ${can.approve.wave}`}
            </button>
          )}
          {can.pause && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirming('pause')}
            >
              Pause…
            </button>
          )}
          {can.resume && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run('resume', 'Resumed: the failures so far are acknowledged; new ones count again.')
              }
            >
              Resume
            </button>
          )}
          {can.cancel && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirming('cancel')}
            >
              Cancel campaign…
            </button>
          )}
          {can.rollback && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirming('rollback')}
            >
              Roll back…
            </button>
          )}
        </div>
      )}
    </section>
  );
}
