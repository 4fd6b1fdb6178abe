// The document type a model derives from its schema (src/db/stored.ts) says what mongoose stores:
// checked at compile time (tsc covers test/) and against the document mongoose builds.
import { describe, expect, it } from '@jest/globals';
import mongoose, { Schema } from 'mongoose';
import type { Stored } from '../../src/db/stored.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameType = <A, B>(ok: Equals<A, B>) => ok;

const STATES = ['open', 'closed'] as const;
const fields = {
  _id: { type: String, required: true },
  state: { type: String, enum: STATES, required: true },
  holder: { type: String, default: null },
  notes: { type: String, default: '' },
  tags: { type: [String], default: [] },
  target: { kind: { type: String, required: true }, id: { type: String, required: true } },
  detail: { type: Schema.Types.Mixed, default: null },
  key: { type: String, allowNull: false as const },
};
const options = { collection: 'things', timestamps: true, versionKey: false } as const;
type Thing = Stored<typeof fields, typeof options, { detail: { reason: string } | null }>;

describe('a document type derived from its schema', () => {
  it('has every field the schema stores, typed as stored', () => {
    expect(
      sameType<
        Thing,
        {
          _id: string;
          state: 'open' | 'closed';
          holder: string | null;
          notes: string;
          tags: string[];
          target: { kind: string; id: string };
          detail: { reason: string } | null;
          key?: string;
          createdAt: Date;
          updatedAt: Date;
        }
      >(true),
    ).toBe(true);
  });

  it('is what mongoose builds: null defaults and nested paths present, optional paths absent', () => {
    const conn = mongoose.createConnection();
    const Model = conn.model<Thing>('Thing', new Schema<Thing>(fields, options));
    const doc = new Model({ _id: 'T1', state: 'open', target: { kind: 'camera', id: 'C1' } }).toObject();
    expect(doc).toEqual({
      _id: 'T1',
      state: 'open',
      holder: null,
      notes: '',
      tags: [],
      target: { kind: 'camera', id: 'C1' },
      detail: null,
    });
    expect('key' in doc).toBe(false);
  });

  it('refuses a null in an optional path marked allowNull: false', async () => {
    const conn = mongoose.createConnection();
    const Model = conn.model<Thing>('Thing', new Schema<Thing>(fields, options));
    const bad = new Model({ _id: 'T2', state: 'open', target: { kind: 'camera', id: 'C2' }, key: null });
    await expect(bad.validate()).rejects.toMatchObject({ errors: { key: expect.anything() } });
  });
});
