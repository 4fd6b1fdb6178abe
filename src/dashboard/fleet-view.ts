// Joins the register (fleet: station, lifecycle, holder) with the live device state (when the bus
// provides it) into the flat LiveDevice records the dashboard shows. The register is read once per
// snapshot; live changes arrive as patches (wired in platform.ts).
import type { Camera, FleetService } from '../fleet/index.js';
import type { LiveDevice, Viewer } from '../realtime/index.js';

/** The live half of a device, as the device-state capability reports it. */
export type LiveHalf = Omit<LiveDevice, 'kind' | 'id' | 'station' | 'model' | 'status' | 'holder'>;

export interface LiveStateLookup {
  (kind: 'camera' | 'dock', id: string): LiveHalf | null;
}

export class FleetView {
  private live: LiveStateLookup = () => null;
  /** Device → station from the register (null: not registered), to route live patches to rooms. */
  private readonly stations = new Map<string, string | null>();

  private readonly lookups = new Map<string, Promise<string | null>>();

  /** Devices that reported over the bus but are not in the register (force-wide viewers see them). */
  private readonly unregistered = new Set<string>();

  constructor(private readonly fleet: FleetService) {}

  useLiveState(lookup: LiveStateLookup) {
    this.live = lookup;
  }

  /** The device's station if known; undefined when it has to be looked up. */
  stationOf(kind: 'camera' | 'dock', id: string): string | null | undefined {
    return this.stations.get(`${kind}:${id}`);
  }

  /**
   * Reads the device's station from the register and remembers it (also that it has none). One
   * read per device however many of its messages arrive meanwhile: a fleet joining at once sends
   * several each before the first read returns.
   */
  lookupStation(kind: 'camera' | 'dock', id: string): Promise<string | null> {
    const key = `${kind}:${id}`;
    let pending = this.lookups.get(key);
    if (!pending) {
      pending = this.readStation(kind, id).finally(() => this.lookups.delete(key));
      this.lookups.set(key, pending);
    }
    return pending;
  }

  private async readStation(kind: 'camera' | 'dock', id: string): Promise<string | null> {
    const station =
      kind === 'camera'
        ? await this.fleet.camera(id).then(
            (c) => c.station,
            () => null,
          )
        : await this.fleet.dock(id).then(
            (d) => d.station,
            () => null,
          );
    this.stations.set(`${kind}:${id}`, station);
    if (station === null) this.unregistered.add(`${kind}:${id}`);
    return station;
  }

  /**
   * Learns every registered device's station in two reads, so a fleet that joins at once does not
   * cost one read per device (at 10,000 devices those queued behind the CONNECT checks).
   */
  async learnStations() {
    for (const c of await this.fleet.allCameras({})) this.stations.set(`camera:${c.serial}`, c.station);
    for (const d of await this.docks({})) this.stations.set(`dock:${d.id}`, d.station);
  }

  private async docks(filter: { station?: string }) {
    const out = [];
    for (let offset = 0; ; offset += 500) {
      const page = await this.fleet.listDocks(filter, 500, offset);
      out.push(...page.items);
      if (offset + 500 >= page.total) return out;
    }
  }

  /** A device moved station (transfer received): forget the cached one. */
  forget(kind: 'camera' | 'dock', id: string) {
    this.stations.delete(`${kind}:${id}`);
  }

  /** One camera's row as it is now (null: not in the register), e.g. after it moved station. */
  async camera(serial: string): Promise<LiveDevice | null> {
    const c = await this.fleet.camera(serial).catch(() => null);
    return c && this.cameraRow(c);
  }

  private cameraRow(c: Camera): LiveDevice {
    this.stations.set(`camera:${c.serial}`, c.station);
    return {
      kind: 'camera',
      id: c.serial,
      station: c.station,
      model: c.model,
      status: c.status,
      holder: c.holder,
      health: 'unknown',
      ...this.live('camera', c.serial),
    };
  }

  /** Every device the viewer may see, register and live merged. */
  async devices(viewer: Viewer): Promise<LiveDevice[]> {
    const filter = viewer.station ? { station: viewer.station } : {};
    const out: LiveDevice[] = [];
    for (const c of await this.fleet.allCameras(filter)) out.push(this.cameraRow(c));
    for (const d of await this.docks(filter)) {
      this.stations.set(`dock:${d.id}`, d.station);
      out.push({
        kind: 'dock',
        id: d.id,
        station: d.station,
        model: d.model,
        health: 'unknown',
        ...this.live('dock', d.id),
      });
    }
    if (!viewer.station) {
      for (const key of this.unregistered) {
        const [kind, id] = key.split(':') as ['camera' | 'dock', string];
        const live = this.live(kind, id);
        if (live) out.push({ kind, id, station: null, health: 'unknown', ...live });
      }
    }
    return out;
  }
}
