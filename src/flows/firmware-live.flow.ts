// When a firmware campaign or one of its device updates changes (here or in another process), the
// campaign's page goes to the live feeds of everyone who may read firmware (IT, admins, auditors):
// `firmware:campaign`, the same body as GET /firmware/campaigns/:id, at most twice a second per
// campaign, and only when someone here is watching (the page is a few database reads).
import type { DomainEventBus } from '../events/index.js';
import type { CampaignsService } from '../firmware/index.js';
import type { Logger } from '../logger.js';
import type { RealtimeGateway } from '../realtime/index.js';

const EVERY_MS = 500;

export function firmwareLive(p: {
  events: DomainEventBus;
  campaigns: CampaignsService;
  gateway: RealtimeGateway;
  log: Logger;
}): () => void {
  /** Per campaign: when its page was last sent, and a send already scheduled. */
  const last = new Map<string, number>();
  const scheduled = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const send = (campaign: string) => {
    scheduled.delete(campaign);
    if (stopped || !p.gateway.firmwareWatched()) return;
    last.set(campaign, Date.now());
    p.campaigns.detail(campaign).then(
      (detail) => {
        if (!stopped) p.gateway.firmwareCampaign(detail);
      },
      (err: unknown) => p.log.warn({ err, campaign }, 'could not build the campaign page for the live feed'),
    );
  };
  const changed = (campaign: string) => {
    if (scheduled.has(campaign)) return;
    const wait = Math.max(0, (last.get(campaign) ?? 0) + EVERY_MS - Date.now());
    scheduled.set(
      campaign,
      setTimeout(() => send(campaign), wait),
    );
  };

  const offs = [
    p.events.on('firmware.campaign-changed', ({ data }) => changed(data.campaign)),
    p.events.on('firmware.device-update-changed', ({ data }) => changed(data.campaign)),
  ];
  return () => {
    stopped = true;
    for (const off of offs) off();
    for (const t of scheduled.values()) clearTimeout(t);
  };
}
