import { z } from 'zod';
import { PhaseId } from './phases.schemas.js';
import { COST_KINDS } from './rollout.types.js';

const Pounds = z.number().min(0).max(1e10);
/** When it happened: an ISO date-time or a day of this century; now when left out. */
export const When = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .refine((s) => s >= '2000-01-01' && s < '2100', 'a date from 2000 to 2099')
  .transform((s) => new Date(s))
  .optional();

export const CaseBody = z.strictObject({
  total: Pounds,
  years: z.number().int().min(1).max(20),
  note: z.string().trim().max(2000).default(''),
});

const CostLineBody = z.strictObject({
  kind: z.enum(COST_KINDS),
  label: z.string().trim().min(1).max(120),
  unitCost: Pounds,
});
const Lines = z.array(CostLineBody).max(100);
/** The whole list, replacing the old one: `[...]` or `{costLines: [...]}`. */
export const CostLinesBody = z.union([
  Lines,
  z.strictObject({ costLines: Lines }).transform((b) => b.costLines),
]);

export const TrancheBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  amount: Pounds.refine((n) => n > 0, 'more than £0'),
  /** Cumulative recorded savings (£) that release it; 0: released when added. */
  trigger: Pounds,
});

export const SavingsBody = z.strictObject({
  amount: Pounds.refine((n) => n > 0, 'more than £0'),
  note: z.string().trim().max(500).default(''),
  at: When,
});

export const SpendBody = z.strictObject({
  phase: PhaseId,
  kind: z.enum(COST_KINDS),
  amount: Pounds.refine((n) => n > 0, 'more than £0'),
  note: z.string().trim().max(500).default(''),
  at: When,
});

export type CaseInput = z.output<typeof CaseBody>;
export type CostLinesInput = z.output<typeof CostLinesBody>;
export type TrancheInput = z.output<typeof TrancheBody>;
export type SavingsInput = z.output<typeof SavingsBody>;
export type SpendInput = z.output<typeof SpendBody>;
