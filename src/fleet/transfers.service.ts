// Transfers of cameras between stations: sent cameras are `in_transit` (refused for check-out)
// until the receiving station books them in, which moves them to its stock.
// Each camera is claimed for a transfer by an insert keyed on its serial (one transfer at a time);
// a receipt is claimed by an insert keyed on the transfer id (received once).
import { type ActionContext, assertInStationScope } from '../shared/index.js';
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { Page } from '../shared/paging.js';
import type { PeopleService } from '../people/index.js';
import type { FleetService } from './fleet.service.js';
import type { TransferDoc } from './transfers.model.js';
import type { TransfersRepository } from './transfers.repository.js';

const refuse = (type: string, title: string, detail: string) => new AppError('conflict', type, title, detail);

/** Adds a line to a camera's history (kept by the assignments module, which owns that history). */
export type CameraHistorySink = (e: {
  camera: string;
  type: 'transfer-sent' | 'transfer-received';
  at: Date;
  actor: string;
  details: Record<string, unknown>;
}) => Promise<void>;

export class TransfersService {
  constructor(
    private readonly repo: TransfersRepository,
    private readonly fleet: FleetService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly history: CameraHistorySink,
  ) {}

  async send(
    input: { cameras: string[]; to: string; notes?: string },
    ctx: ActionContext,
  ): Promise<TransferDoc> {
    await this.people.station(input.to);
    const serials = [...new Set(input.cameras)];
    const cams = await Promise.all(serials.map((s) => this.fleet.camera(s)));
    const from = cams[0]!.station;
    for (const c of cams) {
      if (c.station !== from)
        throw refuse(
          'transfer-mixed-stations',
          'Cameras are at different stations',
          `Camera '${c.serial}' is at ${c.station}, not ${from}`,
        );
      if (c.status !== 'in_stock' && c.status !== 'faulty')
        throw refuse(
          'camera-not-transferable',
          'Camera cannot be transferred',
          `Camera '${c.serial}' is ${c.status.replace('_', ' ')}`,
        );
    }
    // The sending station sends; the receiving station books the cameras in (receive()).
    assertInStationScope(ctx, from);
    if (from === input.to)
      throw refuse(
        'transfer-same-station',
        'Transfer to the same station',
        `The cameras are already at ${from}`,
      );

    const transfer: TransferDoc = {
      id: randomUUID(),
      from,
      to: input.to,
      cameras: serials,
      state: 'in_transit',
      notes: input.notes ?? '',
      sentAt: new Date(),
      sentBy: ctx.actor.id,
      receivedAt: null,
      receivedBy: null,
    };
    const claimed: string[] = [];
    for (const serial of serials) {
      if (!(await this.repo.claimCamera(serial, transfer.id))) {
        for (const c of claimed) await this.repo.releaseCamera(c, transfer.id);
        throw refuse(
          'camera-in-transit',
          'Camera is already in transit',
          `Camera '${serial}' is in another transfer`,
        );
      }
      claimed.push(serial);
    }
    await this.repo.insert(transfer);
    for (const serial of serials) await this.fleet.setTransfer(serial, transfer.id);
    // A check-out that claimed a camera before we marked it wins: give that camera back.
    const issued = (await Promise.all(serials.map((s) => this.fleet.camera(s)))).filter(
      (c) => c.status === 'issued',
    );
    if (issued.length > 0) {
      for (const serial of serials) {
        await this.fleet.setTransfer(serial, null);
        await this.repo.releaseCamera(serial, transfer.id);
      }
      await this.repo.remove(transfer.id); // never happened: nothing was audited yet
      throw refuse(
        'camera-not-transferable',
        'Camera cannot be transferred',
        `Camera '${issued[0]!.serial}' was just issued`,
      );
    }
    await this.audit.record(ctx, {
      action: 'transfer.send',
      target: { kind: 'transfer', id: transfer.id },
      summary: `${serials.length} camera(s) sent from ${from} to ${input.to}`,
      changes: { from, to: input.to, cameras: serials },
    });
    await Promise.all(
      serials.flatMap((serial) => [
        this.audit.record(ctx, {
          action: 'camera.transfer-sent',
          target: { kind: 'camera', id: serial },
          summary: `Camera ${serial} sent from ${from} to ${input.to}`,
          changes: { transfer: transfer.id, from, to: input.to },
        }),
        this.history({
          camera: serial,
          type: 'transfer-sent',
          at: transfer.sentAt,
          actor: ctx.actor.id,
          details: { transfer: transfer.id, from, to: input.to },
        }),
      ]),
    );
    this.fleet.stockChanged(from, ctx);
    return transfer;
  }

  async receive(id: string, ctx: ActionContext): Promise<TransferDoc> {
    const transfer = await this.get(id);
    assertInStationScope(ctx, transfer.to);
    if (transfer.state !== 'in_transit' || !(await this.repo.claimReceipt(id)))
      throw refuse('transfer-already-received', 'Transfer already received', `Transfer '${id}' was received`);
    const at = new Date();
    for (const serial of transfer.cameras) {
      await this.fleet.setTransfer(serial, null, transfer.to);
      await this.repo.releaseCamera(serial, id);
    }
    await this.repo.markReceived(id, at, ctx.actor.id);
    await this.audit.record(ctx, {
      action: 'transfer.receive',
      target: { kind: 'transfer', id },
      summary: `${transfer.cameras.length} camera(s) from ${transfer.from} received at ${transfer.to}`,
      changes: { from: transfer.from, to: transfer.to, cameras: transfer.cameras },
    });
    await Promise.all(
      transfer.cameras.flatMap((serial) => [
        this.audit.record(ctx, {
          action: 'camera.transfer-received',
          target: { kind: 'camera', id: serial },
          summary: `Camera ${serial} received at ${transfer.to}`,
          changes: { transfer: id, station: { from: transfer.from, to: transfer.to } },
        }),
        this.history({
          camera: serial,
          type: 'transfer-received',
          at,
          actor: ctx.actor.id,
          details: { transfer: id, from: transfer.from, to: transfer.to },
        }),
      ]),
    );
    this.fleet.stockChanged(transfer.to, ctx);
    return this.get(id);
  }

  async get(id: string): Promise<TransferDoc> {
    return (await this.repo.get(id)) ?? Promise.reject(notFound('transfer', id));
  }

  async list(
    filter: { state?: TransferDoc['state']; station?: string },
    limit: number,
    offset: number,
  ): Promise<Page<TransferDoc>> {
    return { ...(await this.repo.list(filter, limit, offset)), limit, offset };
  }
}
