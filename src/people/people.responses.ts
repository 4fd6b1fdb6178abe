// What the people routes answer: the API reference's response schemas and the web app's types.
import { z } from 'zod';
import { pageOf, Timestamp } from '../shared/responses.js';
import { QUALIFICATIONS } from '../shared/qualifications.js';

export const StationResponse = z
  .object({ code: z.string(), name: z.string(), createdAt: Timestamp, updatedAt: Timestamp })
  .meta({ id: 'Station' });
export type StationResponse = z.infer<typeof StationResponse>;

export const OfficerResponse = z
  .object({
    number: z.string(),
    name: z.string(),
    station: z.string(),
    team: z.string().nullable(),
    qualifications: z.array(z.enum(QUALIFICATIONS)),
    active: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Officer' });
export type OfficerResponse = z.infer<typeof OfficerResponse>;

export const OfficerPage = pageOf(OfficerResponse);
