// What the clips capability needs from others, injected so it depends on none of them directly.

/**
 * Who held a camera at an instant (assignment history), which station a dock is at and a camera
 * belongs to (register; null when not registered), and which dock a camera reports sitting in now
 * (live device state).
 */
export interface ClipContext {
  holderAt(camera: string, at: Date): Promise<string | null>;
  stationOfDock(dock: string): Promise<string | null>;
  stationOfCamera(camera: string): Promise<string | null>;
  dockOfCamera(camera: string): string | null;
}

export const unknownContext: ClipContext = {
  holderAt: () => Promise.resolve(null),
  stationOfDock: () => Promise.resolve(null),
  stationOfCamera: () => Promise.resolve(null),
  dockOfCamera: () => null,
};

/** Told of each upload refused for its camera, for the audit trail (summarised per dock). */
export type ClipRefusalReporter = (refusal: {
  device: { kind: 'dock'; id: string };
  action: 'clip.offload.refused';
  /** The camera. */
  subject: string;
  summary: string;
  changes: { camera: string; reason: 'camera-unknown' | 'camera-not-held' };
}) => void;

export type ClipEvent = 'offloaded' | 'progress' | 'redacted' | 'failed' | 'reviewed';

/** Publishes clip events (on the bus: `bwv/v1/clips/{id}/{event}`). Must not throw. */
export type ClipNotifier = (clipId: string, event: ClipEvent, payload: Record<string, unknown>) => void;
