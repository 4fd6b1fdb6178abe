import { z } from 'zod';
import { PageQuery, SearchText } from '../shared/paging.js';
import { QUALIFICATIONS } from '../shared/qualifications.js';

export const StationCode = z.string().regex(/^[A-Z0-9]{2,10}$/, 'upper-case letters and digits (2–10)');
/** Collar or payroll number: letters, digits and dashes, as forces issue them (leading zeros kept). */
export const OfficerNumber = z.string().regex(/^[A-Za-z0-9-]{1,20}$/, 'letters, digits or dashes (1–20)');

export const StationBody = z.object({ code: StationCode, name: z.string().trim().min(1).max(100) });
export const StationPatch = StationBody.omit({ code: true }).partial().strict();
export const StationParams = z.object({ code: StationCode });

const officerFields = {
  name: z.string().trim().min(1).max(100),
  station: StationCode,
  team: z.string().trim().max(50).nullable(),
  qualifications: z.array(z.enum(QUALIFICATIONS)).max(QUALIFICATIONS.length),
  active: z.boolean(),
};
export const OfficerBody = z.object({
  number: OfficerNumber,
  name: officerFields.name,
  station: officerFields.station,
  team: officerFields.team.default(null),
  qualifications: officerFields.qualifications.default([]),
  active: officerFields.active.default(true),
});
export const OfficerPatch = z.object(officerFields).partial().strict();
export const OfficerParams = z.object({ number: OfficerNumber });
export const OfficerQuery = PageQuery.extend({
  station: StationCode.optional(),
  qualification: z.enum(QUALIFICATIONS).optional(),
  active: z.stringbool().optional(),
  /** Officer number or name contains this (any case). */
  q: SearchText.optional(),
});

export type OfficerInput = z.output<typeof OfficerBody>;
export type OfficerChanges = z.output<typeof OfficerPatch>;
export type OfficerFilter = Omit<z.output<typeof OfficerQuery>, 'limit' | 'offset'>;
