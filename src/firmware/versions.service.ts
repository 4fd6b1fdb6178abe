// IT's register of approved and blocked firmware versions: list, approve or block (with a reason),
// withdraw. Every change is audited and published (`firmware.version-status-changed`, which every
// process hears: each keeps its FirmwarePolicy current and re-evaluates its devices' health).
import semver from 'semver';
import type { AuditService } from '../audit/index.js';
import type { DeviceKind } from '../bus/index.js';
import { notFound } from '../errors.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import type { VersionRecord, VersionStatus } from './versions.model.js';
import type { FirmwarePolicy } from './versions.policy.js';
import { versionId, type VersionsRepository } from './versions.repository.js';

export interface VersionEntry {
  kind: DeviceKind;
  model: string;
  version: string;
  status: VersionStatus;
  reason: string;
  by: string;
  at: Date;
}

export interface VersionRef {
  kind: DeviceKind;
  model: string;
  version: string;
}

const view = ({ _id: _, ...e }: VersionRecord): VersionEntry => e;
const label = (r: VersionRef) =>
  `${r.kind} firmware ${r.version} (${r.model === '*' ? 'every model' : `model ${r.model}`})`;

export class FirmwareVersions {
  constructor(
    private readonly repo: VersionsRepository,
    private readonly policy: FirmwarePolicy,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  /** The register: by kind, model, then newest version first. */
  async list(filter: { kind?: DeviceKind; model?: string; status?: VersionStatus } = {}) {
    const all = (await this.repo.all()).map(view);
    return all
      .filter(
        (e) =>
          (!filter.kind || e.kind === filter.kind) &&
          (!filter.model || e.model === filter.model) &&
          (!filter.status || e.status === filter.status),
      )
      .sort(
        (a, b) =>
          a.kind.localeCompare(b.kind) ||
          a.model.localeCompare(b.model) ||
          (semver.valid(a.version) && semver.valid(b.version)
            ? semver.rcompare(a.version, b.version)
            : b.version.localeCompare(a.version)),
      );
  }

  /** Approves or blocks a version (for one model, or `*`); the same status and reason again changes nothing. */
  async set(
    ref: VersionRef,
    change: { status: VersionStatus; reason: string },
    ctx: ActionContext,
  ): Promise<VersionEntry> {
    const before = await this.repo.get(ref.kind, ref.model, ref.version);
    if (before && before.status === change.status && before.reason === change.reason) return view(before);
    const record: VersionRecord = {
      _id: versionId(ref.kind, ref.model, ref.version),
      ...ref,
      status: change.status,
      reason: change.reason,
      by: ctx.actor.id,
      at: new Date(),
    };
    await this.repo.put(record);
    this.policy.set(ref.kind, ref.model, ref.version, { ...ref, ...change });
    const verb = change.status === 'approved' ? 'approved' : 'blocked';
    await this.audit.record(ctx, {
      action: `firmware.version.${change.status === 'approved' ? 'approve' : 'block'}`,
      target: { kind: 'firmware-version', id: record._id },
      summary: `${label(ref)} ${before?.status === change.status ? 'reason changed' : verb}${change.reason ? `: ${change.reason}` : ''}`,
      changes: {
        status: { from: before?.status ?? 'unreviewed', to: change.status },
        ...(before?.reason !== change.reason && {
          reason: { from: before?.reason ?? '', to: change.reason },
        }),
      },
    });
    if (before?.status !== change.status) this.publish(ref, change.status);
    return view(record);
  }

  /** Withdraws an approval or a block: the version is unreviewed again. */
  async withdraw(ref: VersionRef, ctx: ActionContext): Promise<void> {
    const before = await this.repo.get(ref.kind, ref.model, ref.version);
    if (!before || !(await this.repo.delete(ref.kind, ref.model, ref.version))) {
      throw notFound('firmware-version', versionId(ref.kind, ref.model, ref.version));
    }
    this.policy.set(ref.kind, ref.model, ref.version, null);
    await this.audit.record(ctx, {
      action: 'firmware.version.withdraw',
      target: { kind: 'firmware-version', id: before._id },
      summary: `${label(ref)}: ${before.status === 'approved' ? 'approval' : 'block'} withdrawn`,
      changes: { status: { from: before.status, to: 'unreviewed' }, reason: before.reason },
    });
    this.publish(ref, 'none');
  }

  private publish(ref: VersionRef, status: VersionStatus | 'none') {
    this.events.publish('firmware.version-status-changed', { ...ref, status });
  }
}
