// The stores desk as a state machine driven by scans (a barcode scanner types the code and Enter)
// and a few keys. Pure, so the flow is unit-tested without a browser.
//   issue:  scan camera → scan warrant card → issue
//   return: scan camera → press 1 (ok), 2 (damaged) or 3 (faulty) → returned
export type DeskMode = 'issue' | 'return';
export type Condition = 'ok' | 'damaged' | 'faulty';

export type DeskState =
  | { step: 'camera'; mode: DeskMode }
  | { step: 'officer'; mode: 'issue'; camera: string }
  | { step: 'condition'; mode: 'return'; camera: string }
  | { step: 'busy'; mode: DeskMode };

export type DeskAction =
  | { type: 'issue'; camera: string; officer: string }
  | { type: 'return'; camera: string; condition: Condition }
  | { type: 'reject'; reason: string }
  | null;

export const CODE = /^[A-Za-z0-9-]{1,40}$/;
/** How long after an issue a scan of the same warrant card is taken as the card read twice. */
export const REPEAT_SCAN_MS = 30_000;

/** Why a scan cannot be a camera serial or a warrant number, or null when it can be. */
export function scanProblem(code: string): string | null {
  if (code.length > 40) return 'Scan too long — not a camera or warrant number';
  if (!CODE.test(code)) return `“${code}” is not a camera or warrant card code`;
  return null;
}

/** The last issue the desk made: a second read of its warrant card soon after is no new scan. */
export interface LastIssue {
  camera: string;
  officer: string;
  at: number;
}

/**
 * Whether `code`, scanned where a camera is expected, is the warrant card of the issue just made,
 * read again: scanners read twice, clerks scan twice. It is ignored, not looked up as a camera
 * (which put a red "Unknown camera" over the green banner of an issue that went through).
 */
export const isRepeatScan = (last: LastIssue | null, code: string, now: number): boolean =>
  last !== null && now - last.at < REPEAT_SCAN_MS && code === last.officer;
export const CONDITION_KEYS: Record<string, Condition> = { '1': 'ok', '2': 'damaged', '3': 'faulty' };

export const initialDesk = (mode: DeskMode = 'issue'): DeskState => ({ step: 'camera', mode });

/** A completed scan (the text before Enter). Returns the next state and what to do, if anything. */
export function onScan(state: DeskState, raw: string): { state: DeskState; action: DeskAction } {
  const code = raw.trim();
  if (state.step === 'busy') return { state, action: null };
  const problem = scanProblem(code);
  if (problem) return { state, action: { type: 'reject', reason: problem } };
  switch (state.step) {
    case 'camera':
      return state.mode === 'issue'
        ? { state: { step: 'officer', mode: 'issue', camera: code }, action: null }
        : { state: { step: 'condition', mode: 'return', camera: code }, action: null };
    case 'officer':
      if (code === state.camera)
        return {
          state,
          action: { type: 'reject', reason: 'That is the camera again: scan the warrant card' },
        };
      return {
        state: { step: 'busy', mode: 'issue' },
        action: { type: 'issue', camera: state.camera, officer: code },
      };
    case 'condition': {
      const condition = CONDITION_KEYS[code];
      if (!condition)
        return { state, action: { type: 'reject', reason: 'Press 1 (ok), 2 (damaged) or 3 (faulty)' } };
      return {
        state: { step: 'busy', mode: 'return' },
        action: { type: 'return', camera: state.camera, condition },
      };
    }
  }
}

export const prompt = (s: DeskState): string => {
  switch (s.step) {
    case 'camera':
      return s.mode === 'issue' ? 'Scan the camera to issue' : 'Scan the camera being returned';
    case 'officer':
      return `Camera ${s.camera}: now scan the warrant card`;
    case 'condition':
      return `Camera ${s.camera}: condition? 1 ok · 2 damaged · 3 faulty`;
    case 'busy':
      return 'Working…';
  }
};
