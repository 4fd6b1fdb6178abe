import { isDuplicateKey, type Connection } from '../db/connection.js';
import {
  commitmentModel,
  phaseModel,
  phaseTransitionModel,
  type CommitmentDoc,
  type PhaseDoc,
  type PhaseSet,
  type PhaseTransitionDoc,
} from './phases.model.js';

export type NewPhase = Omit<PhaseDoc, 'createdAt' | 'updatedAt'>;

/** True when this insert got in; false when another writer's insert holds the key. */
async function claimed(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

export class PhasesRepository {
  private readonly phases;
  private readonly log;
  private readonly commitments;
  constructor(conn: Connection) {
    this.phases = phaseModel(conn);
    this.log = phaseTransitionModel(conn);
    this.commitments = commitmentModel(conn);
  }

  /** False when the phase's `order` is taken (a proposal made at the same moment): try the next. */
  insert(p: NewPhase): Promise<boolean> {
    return claimed(() => this.phases.create(p));
  }

  byId(id: string) {
    return this.phases.findOne({ _id: id }).lean<PhaseDoc>();
  }

  list() {
    return this.phases.find({}).sort({ order: 1 }).lean<PhaseDoc[]>();
  }

  async maxOrder(): Promise<number> {
    const last = await this.phases.findOne({}, { order: 1 }).sort({ order: -1 }).lean<{ order: number }>();
    return last?.order ?? 0;
  }

  claimTransition(t: PhaseTransitionDoc): Promise<boolean> {
    return claimed(() => this.log.create(t));
  }

  transition(phase: string, rev: number) {
    return this.log.findOne({ _id: `${phase}|${rev}` }).lean<PhaseTransitionDoc>();
  }

  /** Writes a claimed transition onto the phase (a no-op if it is already there). */
  async apply(phase: string, rev: number, set: PhaseSet): Promise<void> {
    await this.phases.updateOne({ _id: phase, rev }, { $set: { ...set, rev: rev + 1 } });
  }

  commitmentsLedger() {
    return this.commitments.find({}).sort({ _id: 1 }).lean<CommitmentDoc[]>();
  }

  claimCommitment(c: CommitmentDoc): Promise<boolean> {
    return claimed(() => this.commitments.create(c));
  }
}
