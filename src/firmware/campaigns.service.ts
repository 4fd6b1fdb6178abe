// Firmware campaigns as IT runs them: preview the devices a campaign would hit, create it (it then
// awaits a second person's approval), approve it or its next wave, pause, resume, cancel, roll back.
// The engine (engine.ts) carries them out; here are the rules of the people's side. Every change
// goes through CampaignTransitions (audited, published on the spine, safe between processes).
import { randomBytes } from 'node:crypto';
import { AppError, notFound } from '../errors.js';
import type { ActionContext, Page } from '../shared/index.js';
import type { FirmwareCampaignDetail, FirmwareCampaignSummary } from '../realtime/index.js';
import {
  previewOf,
  select,
  wavePlan,
  type Candidate,
  type Preview,
  type Selection,
} from './campaigns.targeting.js';
import type { Campaign, CampaignsRepository } from './campaigns.repository.js';
import type { CampaignDevicesFilter, CampaignInput } from './campaigns.schemas.js';
import type { CampaignTransitions } from './campaigns.transitions.js';
import type { ArtifactInfo, FirmwareArtifacts, FirmwareFleet, FirmwarePolicy } from './engine.ports.js';
import { waveName, type Wave } from './engine.waves.js';
import type { UpdateDoc } from './updates.model.js';
import { deviceKey, updateKey, type UpdatesRepository } from './updates.repository.js';
import type { UpdateState } from './updates.states.js';

export interface CampaignDefaults {
  stepTimeoutS: number;
  minBattery: number;
}

export type CampaignCreated = FirmwareCampaignDetail & Pick<Preview, 'excluded' | 'excludedCount'>;

export interface CampaignDevice {
  kind: 'camera' | 'dock';
  device: string;
  station: string;
  model: string;
  fromVersion: string;
  wave: number;
  state: UpdateState;
  reason: string | null;
  attempt: number;
  progress: number | null;
  updatedAt: string;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const newId = () => randomBytes(8).toString('hex');
const actorOf = (ctx: ActionContext) => ctx.actor.id;

export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly updates: UpdatesRepository,
    private readonly transitions: CampaignTransitions,
    private readonly artifacts: FirmwareArtifacts,
    private readonly policy: FirmwarePolicy,
    private readonly fleet: FirmwareFleet,
    private readonly defaults: CampaignDefaults,
  ) {}

  // ---- preview and creation ----

  async preview(input: CampaignInput): Promise<Preview> {
    const { selection } = await this.plan(input);
    return previewOf(selection, input.canarySize, input.groups);
  }

  async create(
    input: CampaignInput,
    ctx: ActionContext,
    rollbackOf: string | null = null,
  ): Promise<CampaignCreated> {
    const { artifact, selection } = await this.plan(input);
    if (selection.selected.length === 0) throw empty(selection);
    const id = newId();
    const settings = {
      name: input.name,
      kind: artifact.kind,
      model: artifact.model,
      artifact: artifact.id,
      version: artifact.version,
      fromRange: input.fromRange,
      stations: input.stations,
      devices: input.devices,
      canarySize: input.canarySize,
      groups: input.groups,
      successThreshold: input.successThreshold,
      errorThreshold: { count: input.errorThreshold.count, percent: input.errorThreshold.percent },
      approveEachWave: input.approveEachWave,
      stepTimeoutS: input.stepTimeoutS ?? this.defaults.stepTimeoutS,
      maxRetries: input.maxRetries,
      minBattery: input.minBattery ?? this.defaults.minBattery,
    };
    await this.campaigns.insert({
      id,
      ...settings,
      status: 'creating',
      pausedReason: null,
      pauseKind: null,
      currentWave: null,
      waves: [],
      total: 0,
      failuresAcknowledged: 0,
      createdBy: actorOf(ctx),
      approvedBy: null,
      rollbackOf,
      open: true,
      rev: 0,
    });

    // One active campaign per device: the membership insert is the claim.
    const taken = await this.updates.claimMembers(
      id,
      selection.selected.map((d) => deviceKey(d.kind, d.id)),
    );
    let selected = selection.selected;
    const excluded = [...selection.excluded];
    if (taken.size > 0) {
      const members = await this.updates.members();
      selected = selected.filter((d) => !taken.has(deviceKey(d.kind, d.id)));
      for (const key of taken) {
        excluded.push({
          device: key.slice(key.indexOf(':') + 1),
          reason: `already in campaign ${members.get(key) ?? 'another campaign'}`,
        });
      }
    }
    if (selected.length === 0) {
      await this.transitions.change(id, ctx, () => ({
        change: 'canceled',
        set: { status: 'canceled', open: false },
        reason: 'every device was taken by another campaign meanwhile',
        audit: {
          action: 'firmware.campaign.cancel',
          summary: `Campaign ${id} not created: every device was taken by another campaign meanwhile`,
        },
      }));
      throw empty({ excluded });
    }

    const sizes = wavePlan(selected.length, input.canarySize, input.groups);
    const waves: Wave[] = sizes.map((size, index) => ({
      index,
      size,
      status: 'pending',
      waived: false,
      approvedBy: null,
    }));
    let wave = 0;
    let inWave = 0;
    const docs = selected.map((d, order) => {
      if (inWave === sizes[wave]) {
        wave++;
        inWave = 0;
      }
      inWave++;
      return newUpdate(id, d, wave, order);
    });
    await this.updates.insertMany(docs);
    await this.transitions.change(id, ctx, (c) =>
      c.status !== 'creating'
        ? null
        : {
            change: 'created',
            set: { status: 'awaiting-approval', waves, total: selected.length },
            audit: {
              action: rollbackOf ? 'firmware.campaign.rollback' : 'firmware.campaign.create',
              summary: `Campaign "${settings.name}" created${rollbackOf ? ` to roll back ${rollbackOf}` : ''}: ${
                settings.kind
              } ${settings.model} to ${settings.version} on ${selected.length} device(s) in ${waves.length} wave(s), awaiting approval`,
              changes: { ...settings, total: selected.length, waves: sizes, excluded: excluded.length },
            },
          },
    );
    const detail = await this.detail(id);
    return { ...detail, excluded: excluded.slice(0, 100), excludedCount: excluded.length };
  }

  /** The artifact and the devices a campaign with this input would hit now. */
  private async plan(input: CampaignInput): Promise<{ artifact: ArtifactInfo; selection: Selection }> {
    const artifact = await this.artifacts.get(input.artifact);
    if (!artifact) throw unusable(`No artifact '${input.artifact}'`, 'body.artifact');
    if (input.kind && input.kind !== artifact.kind) {
      throw unusable(`Artifact ${artifact.id} is for ${artifact.kind}s, not ${input.kind}s`, 'body.kind');
    }
    if (input.model && input.model !== artifact.model) {
      throw unusable(
        `Artifact ${artifact.id} is for model ${artifact.model}, not ${input.model}`,
        'body.model',
      );
    }
    if (this.policy.isBlocked(artifact.kind, artifact.model, artifact.version)) {
      const why = this.policy.entry(artifact.kind, artifact.model, artifact.version)?.reason;
      throw unusable(`Version ${artifact.version} is blocked${why ? `: ${why}` : ''}`, 'body.artifact');
    }
    const [register, members] = await Promise.all([
      this.fleet.devices(artifact.kind),
      this.updates.members(),
    ]);
    const candidates: Candidate[] = register.map((d) => ({
      kind: d.kind,
      id: d.id,
      station: d.station,
      model: d.model,
      status: d.status,
      version: this.fleet.live(d)?.firmware ?? null,
    }));
    const selection = select(
      candidates,
      {
        kind: artifact.kind,
        model: artifact.model,
        version: artifact.version,
        fromRange: input.fromRange,
        stations: input.stations,
        devices: input.devices,
      },
      members,
    );
    return { artifact, selection };
  }

  // ---- the two-person rule, pause, resume, cancel ----

  /**
   * Approves the campaign (it starts with its first wave) or, with `approveEachWave`, the wave that
   * awaits approval. Never by whoever created the campaign.
   */
  async approve(id: string, ctx: ActionContext): Promise<FirmwareCampaignDetail> {
    const who = actorOf(ctx);
    await this.transitions.change(id, ctx, (c) => {
      const awaiting = c.waves.find((w) => w.status === 'awaiting-approval');
      if (c.status !== 'awaiting-approval' && !(c.status === 'running' && awaiting)) {
        throw stateConflict(c, 'nothing in it awaits approval');
      }
      if (c.createdBy === who) {
        throw new AppError(
          'firmware-approval-own-campaign',
          `${who} created campaign ${c.id}: another IT user or admin must approve it (two-person rule)`,
        );
      }
      if (c.status === 'awaiting-approval') {
        const waves = c.waves.map((w, i) =>
          i === 0 ? { ...w, status: 'running' as const, approvedBy: who } : w,
        );
        return {
          change: 'approved',
          wave: 0,
          set: { status: 'running', approvedBy: who, currentWave: 0, waves },
          audit: {
            action: 'firmware.campaign.approve',
            summary: `Campaign "${c.name}" approved by ${who}: ${waveName(0, c.canarySize)} started`,
          },
        };
      }
      const w = awaiting!;
      return {
        change: 'wave-started',
        wave: w.index,
        set: {
          currentWave: w.index,
          waves: c.waves.map((x) =>
            x.index === w.index ? { ...x, status: 'running' as const, approvedBy: who } : x,
          ),
        },
        audit: {
          action: 'firmware.campaign.approve-wave',
          summary: `Campaign "${c.name}": ${waveName(w.index, c.canarySize)} approved by ${who} and started`,
        },
      };
    });
    return this.detail(id);
  }

  async pause(id: string, reason: string, ctx: ActionContext): Promise<FirmwareCampaignDetail> {
    const who = actorOf(ctx);
    await this.transitions.change(id, ctx, (c) => {
      if (c.status !== 'running') throw stateConflict(c, 'only a running campaign can be paused');
      return {
        change: 'paused',
        wave: c.currentWave,
        reason: `paused by ${who}: ${reason}`,
        set: { status: 'paused', pausedReason: `paused by ${who}: ${reason}`, pauseKind: 'user' },
        audit: {
          action: 'firmware.campaign.pause',
          summary: `Campaign "${c.name}" paused by ${who}: ${reason}`,
        },
      };
    });
    return this.detail(id);
  }

  /** Resumes a paused campaign: the failures so far are acknowledged (the error threshold counts new ones). */
  async resume(id: string, ctx: ActionContext): Promise<FirmwareCampaignDetail> {
    const failed = await this.failedCount(id);
    const who = actorOf(ctx);
    await this.transitions.change(id, ctx, (c) => {
      if (c.status !== 'paused') throw stateConflict(c, 'only a paused campaign can be resumed');
      // A wave that tripped a threshold was judged by the person resuming: it counts as passed.
      const waves =
        c.pauseKind === 'wave' || c.pauseKind === 'errors'
          ? c.waves.map((w) => (w.status === 'running' ? { ...w, waived: true } : w))
          : c.waves;
      return {
        change: 'resumed',
        wave: c.currentWave,
        set: { status: 'running', pausedReason: null, pauseKind: null, failuresAcknowledged: failed, waves },
        audit: {
          action: 'firmware.campaign.resume',
          summary: `Campaign "${c.name}" resumed by ${who} (was: ${c.pausedReason ?? 'paused'}); ${failed} failure(s) acknowledged`,
          changes: { failuresAcknowledged: failed },
        },
      };
    });
    return this.detail(id);
  }

  /** Cancels: nothing more is sent; updates in flight finish and are recorded. */
  async cancel(id: string, ctx: ActionContext): Promise<FirmwareCampaignDetail> {
    const who = actorOf(ctx);
    await this.transitions.change(id, ctx, (c) => {
      if (!['awaiting-approval', 'running', 'paused'].includes(c.status)) {
        throw stateConflict(c, 'it has ended');
      }
      return {
        change: 'canceled',
        wave: c.currentWave,
        set: { status: 'canceled', pausedReason: null, pauseKind: null },
        audit: { action: 'firmware.campaign.cancel', summary: `Campaign "${c.name}" canceled by ${who}` },
      };
    });
    return this.detail(id);
  }

  /**
   * A new campaign (awaiting approval, same rule) taking the devices this one updated back to the
   * version they came from: the most common previous version (the highest on a tie), which must
   * have an artifact for the model.
   */
  async rollback(id: string, ctx: ActionContext): Promise<CampaignCreated> {
    const c = await this.transitions.current(id);
    const succeeded = (await this.updates.ofCampaign(id)).filter((u) => u.state === 'succeeded');
    if (succeeded.length === 0) {
      throw new AppError(
        'firmware-rollback-unavailable',
        `No device of campaign ${id} was updated: nothing to roll back`,
      );
    }
    const byVersion = new Map<string, number>();
    for (const u of succeeded) byVersion.set(u.fromVersion, (byVersion.get(u.fromVersion) ?? 0) + 1);
    const [previous] = [...byVersion].sort(
      ([va, a], [vb, b]) => b - a || (vb > va ? 1 : vb < va ? -1 : 0),
    )[0]!;
    const artifact = await this.artifacts.find(c.kind, c.model, previous);
    if (!artifact) {
      throw new AppError(
        'firmware-rollback-unavailable',
        `No artifact of ${c.kind} ${c.model} ${previous} (the version these devices came from) is stored: upload it first`,
      );
    }
    return this.create(
      {
        name: `Rollback of ${c.name}`.slice(0, 100),
        artifact: artifact.id,
        kind: c.kind,
        model: c.model,
        fromRange: c.version,
        stations: [],
        devices: succeeded.map((u) => u.device),
        canarySize: c.canarySize,
        groups: c.groups,
        successThreshold: c.successThreshold,
        errorThreshold: c.errorThreshold,
        approveEachWave: c.approveEachWave,
        stepTimeoutS: c.stepTimeoutS,
        maxRetries: c.maxRetries,
        minBattery: c.minBattery,
      },
      ctx,
      id,
    );
  }

  // ---- reads ----

  async list(limit: number, offset: number): Promise<Page<FirmwareCampaignSummary>> {
    const [items, total] = await this.campaigns.list(limit, offset);
    const counts = items.length > 0 ? await this.updates.counts(items.map((c) => c.id)) : [];
    const byCampaign = new Map<string, Partial<Record<UpdateState, number>>>();
    for (const r of counts) {
      const m = byCampaign.get(r._id.campaign) ?? {};
      m[r._id.state] = (m[r._id.state] ?? 0) + r.n;
      byCampaign.set(r._id.campaign, m);
    }
    return { items: items.map((c) => summaryOf(c, byCampaign.get(c.id) ?? {})), total, limit, offset };
  }

  /** The campaign's page: summary, waves with their counts, why devices wait, the latest failures. */
  async detail(id: string): Promise<FirmwareCampaignDetail> {
    const c = await this.transitions.current(id);
    const [counts, waiting, failures] = await Promise.all([
      this.updates.counts(id),
      this.updates.waitingReasons(id),
      this.updates.failures(id, 100),
    ]);
    const total: Partial<Record<UpdateState, number>> = {};
    const byWave = new Map<number, Partial<Record<UpdateState, number>>>();
    for (const r of counts) {
      total[r._id.state] = (total[r._id.state] ?? 0) + r.n;
      const w = byWave.get(r._id.wave) ?? {};
      w[r._id.state] = (w[r._id.state] ?? 0) + r.n;
      byWave.set(r._id.wave, w);
    }
    return {
      ...summaryOf(c, total),
      waves: c.waves.map((w) => ({
        index: w.index,
        size: w.size,
        status: w.status,
        approvedBy: w.approvedBy ?? null,
        counts: byWave.get(w.index) ?? {},
      })),
      waiting: waiting
        .map((r) => ({ reason: r._id ?? 'waiting', count: r.n }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      failures: failures.map((u) => ({
        kind: u.kind,
        device: u.device,
        wave: u.wave,
        reason: u.reason ?? 'failed',
        at: iso(u.finishedAt ?? u.updatedAt)!,
      })),
    };
  }

  async devices(id: string, q: CampaignDevicesFilter): Promise<Page<CampaignDevice>> {
    await this.transitions.current(id);
    const { items, total } = await this.updates.page(id, q);
    return { items: items.map(deviceOf), total, limit: q.limit, offset: q.offset };
  }

  /** The campaign, or a 404. */
  async get(id: string): Promise<Campaign> {
    const c = await this.campaigns.byId(id);
    if (!c) throw notFound('firmware-campaign', id);
    return c;
  }

  private async failedCount(id: string) {
    let failed = 0;
    for (const r of await this.updates.counts(id)) if (r._id.state === 'failed') failed += r.n;
    return failed;
  }
}

function newUpdate(campaign: string, d: Candidate, wave: number, order: number) {
  return {
    _id: updateKey(campaign, d.kind, d.id),
    campaign,
    kind: d.kind,
    device: d.id,
    station: d.station,
    model: d.model,
    fromVersion: d.version ?? '',
    wave,
    order,
    state: 'pending' as const,
    reason: null,
    attempt: 0,
    commandId: null,
    progress: null,
    stepDeadline: null,
    retryAt: null,
    lastStageAt: null,
    rebootingTs: null,
    finishedAt: null,
  };
}

export function summaryOf(
  c: Campaign,
  counts: Partial<Record<UpdateState, number>>,
): FirmwareCampaignSummary {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    model: c.model,
    artifact: c.artifact,
    version: c.version,
    fromRange: c.fromRange,
    stations: c.stations,
    devices: c.devices,
    canarySize: c.canarySize,
    groups: c.groups,
    successThreshold: c.successThreshold,
    errorThreshold: { count: c.errorThreshold.count ?? null, percent: c.errorThreshold.percent ?? null },
    approveEachWave: c.approveEachWave,
    stepTimeoutS: c.stepTimeoutS,
    maxRetries: c.maxRetries,
    minBattery: c.minBattery,
    status: c.status,
    pausedReason: c.pausedReason,
    currentWave: c.currentWave,
    createdBy: c.createdBy,
    approvedBy: c.approvedBy,
    rollbackOf: c.rollbackOf,
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
    total: c.total,
    counts,
  };
}

const deviceOf = (u: UpdateDoc): CampaignDevice => ({
  kind: u.kind,
  device: u.device,
  station: u.station,
  model: u.model,
  fromVersion: u.fromVersion,
  wave: u.wave,
  state: u.state,
  reason: u.reason,
  attempt: u.attempt,
  progress: u.progress,
  updatedAt: iso(u.updatedAt)!,
});

const unusable = (detail: string, path: string) =>
  new AppError('firmware-artifact-unusable', detail, [{ path, message: detail }]);

const empty = (s: Pick<Selection, 'excluded'>) =>
  new AppError(
    'firmware-campaign-empty',
    s.excluded.length > 0
      ? `No device to update: ${s.excluded.length} excluded (e.g. ${s.excluded[0]!.device}: ${s.excluded[0]!.reason})`
      : 'No device of that kind and model matches',
  );

const stateConflict = (c: Campaign, why: string) =>
  new AppError('firmware-campaign-state', `Campaign ${c.id} is ${c.status}: ${why}`);
