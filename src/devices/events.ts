// The internal, typed stream of device changes. The dashboard issue fans it out over Socket.IO;
// self-allocation listens for badge taps and dockings. Listeners must not throw.
import { EventEmitter } from 'node:events';
import type { CommandAck, DeviceKind } from '../bus/index.js';
import type { AlertType } from './health.js';
import type { DeviceView } from './state.view.js';

export interface DeviceEventMap {
  /** Something a dashboard shows changed (not every heartbeat). */
  'device:changed': [{ kind: DeviceKind; id: string; view: DeviceView; changed: string[] }];
  'device:alert': [
    { kind: DeviceKind; id: string; type: AlertType; state: 'raised' | 'cleared'; detail: string },
  ];
  'dock:badge-tap': [{ dock: string; officer: string; ts: string }];
  'dock:camera-docked': [{ dock: string; camera: string; slot: number; ts: string }];
  'device:ack': [{ kind: DeviceKind; id: string; ack: CommandAck }];
}

export class DeviceEvents extends EventEmitter<DeviceEventMap> {}
