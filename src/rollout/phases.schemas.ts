import { z } from 'zod';
import { QUALIFICATIONS, StationCode } from '../people/index.js';
import { GATE_DECISIONS, ISSUE_MODES } from './rollout.types.js';

export const PhaseId = z.string().regex(/^ph_[0-9a-f]{12}$/, 'a phase id (ph_ and 12 hex digits)');
export const PhaseParams = z.object({ id: PhaseId });

const Rule = z.strictObject({
  qualifications: z.array(z.enum(QUALIFICATIONS)).max(QUALIFICATIONS.length).default([]),
  teams: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
  stations: z.array(StationCode).max(200).default([]),
});

/** A calendar day of this century, `2026-04-01` (a programme's dates, not history's). */
export const Day = z.iso
  .date()
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', 'a day from 2000-01-01 to 2099-12-31');

const phaseFields = {
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000),
  rule: Rule,
  targetHeadcount: z.number().int().min(0).max(1_000_000),
  plannedStart: Day,
  plannedEnd: Day,
  issueMode: z.enum(ISSUE_MODES),
  sparePercent: z.number().min(0).max(200),
};

const datesInOrder = (p: { plannedStart?: string | undefined; plannedEnd?: string | undefined }) =>
  !p.plannedStart || !p.plannedEnd || p.plannedStart <= p.plannedEnd;
const datesMessage = { message: 'plannedEnd is before plannedStart', path: ['plannedEnd'] };

export const PhaseBody = z
  .strictObject({
    ...phaseFields,
    description: phaseFields.description.default(''),
    sparePercent: phaseFields.sparePercent.default(10),
  })
  .refine(datesInOrder, datesMessage);

export const PhasePatch = z
  .strictObject(phaseFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' })
  .refine(datesInOrder, datesMessage);

export const ApproveBody = z.strictObject({
  /** Approve although the phase is not funded by released tranches: the board's reason, audited. */
  override: z.strictObject({ reason: z.string().trim().min(10).max(2000) }).optional(),
});

export const GateBody = z.strictObject({
  decision: z.enum(GATE_DECISIONS),
  rationale: z.string().trim().min(1).max(4000),
});

export type PhaseInput = z.output<typeof PhaseBody>;
export type PhasePatchInput = z.output<typeof PhasePatch>;
export type GateInput = z.output<typeof GateBody>;
