// What the planner and the scope read of the registers, given by the composition root (people,
// fleet, shifts) so the rollout capability imports none of them.
import type { OfficerFacts } from './rollout.types.js';

export interface RosterOfficer extends OfficerFacts {
  number: string;
  name: string;
}

export interface RegisterCamera {
  station: string;
  status: string;
  holder: string | null;
  /** The transfer it travels in: then it is stock at neither station until received. */
  transfer?: string | null;
}

export interface RosterShift {
  station: string;
  start: Date;
  end: Date;
  officers: string[];
}

export interface RolloutRegisters {
  /** Every officer, active or not. */
  officers(): Promise<RosterOfficer[]>;
  cameras(): Promise<RegisterCamera[]>;
  /** Shifts overlapping [from, to). */
  shifts(from: Date, to: Date): Promise<RosterShift[]>;
}
