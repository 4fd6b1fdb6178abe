import { z } from 'zod';
import { CameraSerial } from '../fleet/index.js';
import { PageQuery } from '../shared/paging.js';
import { OfficerNumber } from '../people/index.js';
import { CONDITIONS, MODES } from './assignments.model.js';

const Notes = z.string().trim().max(1000);

export const CheckoutBody = z
  .object({ camera: CameraSerial, officer: OfficerNumber, mode: z.enum(MODES) })
  .strict();
export const CheckinBody = z
  .object({ camera: CameraSerial, condition: z.enum(CONDITIONS), notes: Notes.optional() })
  .strict();
export const LostBody = z.object({ reason: z.enum(['lost', 'stolen']), details: Notes.min(1) }).strict();
export const FaultBody = z.object({ condition: z.enum(['damaged', 'faulty']), notes: Notes.min(1) }).strict();
export const RepairBody = z.object({ notes: Notes.optional() }).strict();
export const RetireBody = z.object({ reason: Notes.min(1) }).strict();
export const HistoryQuery = PageQuery;
/**
 * What the desk scanned as a camera. A scanner that read something else (a 300-character QR code)
 * is told so in words, not "Invalid query".
 */
export const CameraCheckQuery = z.object({
  camera: z.string().trim().max(40, 'scan too long — not a camera or warrant number').pipe(CameraSerial),
});
/** Opaque client-chosen key, e.g. a UUID; printable ASCII without spaces. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'printable ASCII, 1–200 characters');

export type CheckoutInput = z.output<typeof CheckoutBody>;
export type CheckinInput = z.output<typeof CheckinBody>;
