import { z } from 'zod';
import { Instant } from '../http/dates.js';
import { PageQuery, SearchText } from '../shared/paging.js';
import { StationCode } from '../people/index.js';
import { CAMERA_STATUSES } from './lifecycle.js';

/** Manufacturer serial as printed on the camera and encoded in its QR label. */
export const CameraSerial = z.string().regex(/^[A-Za-z0-9-]{3,40}$/, 'letters, digits or dashes (3–40)');
export const AssetTag = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits or dashes (1–40)');
export const DockId = z.string().regex(/^[A-Za-z0-9-]{2,40}$/, 'letters, digits or dashes (2–40)');
const Model = z.string().trim().min(1).max(60);

const cameraFields = {
  model: Model,
  assetTag: AssetTag,
  station: StationCode,
  purchaseDate: Instant.nullable(),
  purchaseCost: z.number().nonnegative().max(1_000_000).nullable(),
  notes: z.string().max(1000),
};
export const CameraBody = z.object({
  serial: CameraSerial,
  model: cameraFields.model,
  assetTag: cameraFields.assetTag,
  station: cameraFields.station,
  purchaseDate: cameraFields.purchaseDate.default(null),
  purchaseCost: cameraFields.purchaseCost.default(null),
  notes: cameraFields.notes.default(''),
});
/**
 * Corrections only: status and holder change through check-out, check-in and the fault actions.
 * `station` is accepted here only so the service can answer 422 `use-transfer` (not a bare 400).
 */
export const CameraPatch = z.object(cameraFields).partial().strict();
export const CameraParams = z.object({ serial: CameraSerial });
export const CameraQuery = PageQuery.extend({
  station: StationCode.optional(),
  status: z.enum(CAMERA_STATUSES).optional(),
  model: Model.optional(),
  /** Serial or asset tag contains this (any case): what the clerk reads off the camera. */
  q: SearchText.optional(),
});

/** `?serials=A,B,C`: the cameras a label sheet is for (a sheet of 4 across; at most 200 labels). */
export const LabelSheetQuery = z.object({
  serials: z
    .string()
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(CameraSerial).min(1, 'name at least one camera').max(200, 'at most 200 cameras')),
});

export const DockBody = z.object({
  id: DockId,
  station: StationCode,
  slots: z.number().int().min(1).max(100),
  model: Model,
});
export const DockPatch = DockBody.omit({ id: true }).partial().strict();
export const DockParams = z.object({ id: DockId });
export const DockQuery = PageQuery.extend({
  station: StationCode.optional(),
  /** Dock id contains this (any case). */
  q: SearchText.optional(),
});
/** A dock label sheet: the docks named in `ids` (comma-separated), else a station's, else every dock. */
export const DockLabelQuery = z.object({
  station: StationCode.optional(),
  ids: z
    .string()
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(DockId).min(1, 'name at least one dock').max(200, 'at most 200 docks'))
    .optional(),
});

export type CameraInput = z.output<typeof CameraBody>;
export type CameraChanges = z.output<typeof CameraPatch>;
export type CameraFilter = Omit<z.output<typeof CameraQuery>, 'limit' | 'offset'>;
export type DockInput = z.output<typeof DockBody>;
export type DockChanges = z.output<typeof DockPatch>;
export type DockFilter = Omit<z.output<typeof DockQuery>, 'limit' | 'offset'>;
