// What the clips capability needs from others, injected so it depends on none of them directly.

/** Who held a camera at an instant (assignment history), and which station a dock is at (register). */
export interface ClipContext {
  holderAt(camera: string, at: Date): Promise<string | null>;
  stationOfDock(dock: string): Promise<string | null>;
}

export const unknownContext: ClipContext = {
  holderAt: () => Promise.resolve(null),
  stationOfDock: () => Promise.resolve(null),
};

export type ClipEvent = 'offloaded' | 'progress' | 'redacted' | 'failed' | 'reviewed';

/** Publishes clip events (on the bus: `bwv/v1/clips/{id}/{event}`). Must not throw. */
export type ClipNotifier = (clipId: string, event: ClipEvent, payload: Record<string, unknown>) => void;
