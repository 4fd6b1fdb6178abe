import { isDuplicateKey, type Connection } from '../db/connection.js';
import {
  budgetModel,
  releaseModel,
  savingModel,
  spendModel,
  trancheModel,
  type BudgetDoc,
  type ReleaseDoc,
  type SavingDoc,
  type SpendDoc,
  type TrancheDoc,
} from './budget.model.js';

const BUDGET_ID = 'budget';

export class BudgetRepository {
  private readonly budget;
  private readonly tranches;
  private readonly releases;
  private readonly savings;
  private readonly spend;
  constructor(conn: Connection) {
    this.budget = budgetModel(conn);
    this.tranches = trancheModel(conn);
    this.releases = releaseModel(conn);
    this.savings = savingModel(conn);
    this.spend = spendModel(conn);
  }

  get() {
    return this.budget.findOne({ _id: BUDGET_ID }).lean<BudgetDoc>();
  }

  async put(
    set: Partial<Pick<BudgetDoc, 'businessCase' | 'costLines'>>,
    defaults: Pick<BudgetDoc, 'businessCase' | 'costLines'>,
  ) {
    const current = await this.get();
    await this.budget.updateOne(
      { _id: BUDGET_ID },
      { $set: { ...(current ? {} : defaults), ...set } },
      { upsert: true },
    );
  }

  listTranches() {
    return this.tranches.find({}).sort({ trigger: 1, _id: 1 }).lean<TrancheDoc[]>();
  }

  async insertTranche(t: Omit<TrancheDoc, 'createdAt' | 'updatedAt'>) {
    await this.tranches.create(t);
  }

  listReleases() {
    return this.releases.find({}).lean<ReleaseDoc[]>();
  }

  /** True when this call released the tranche; false when it was released already. */
  async claimRelease(r: ReleaseDoc): Promise<boolean> {
    try {
      await this.releases.create(r);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  listSavings() {
    return this.savings.find({}).sort({ at: 1 }).lean<SavingDoc[]>();
  }

  async insertSaving(s: Omit<SavingDoc, 'createdAt' | 'updatedAt'>) {
    await this.savings.create(s);
  }

  listSpend() {
    return this.spend.find({}).sort({ at: 1 }).lean<SpendDoc[]>();
  }

  async insertSpend(s: Omit<SpendDoc, 'createdAt' | 'updatedAt'>) {
    await this.spend.create(s);
  }
}
