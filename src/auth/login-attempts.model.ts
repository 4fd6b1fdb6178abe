import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

/**
 * One login attempt: inserted before the password is checked, deleted again unless it failed.
 * Counting these documents is how every API process sees the same failures: FerretDB v1 updates
 * are read-modify-write without locks, so a shared counter (`$inc`) would lose concurrent
 * increments, while inserts never collide.
 */
const loginAttemptFields = {
  /** The username tried, lower-cased: failures on one account from any address. */
  account: { type: String, required: true },
  /** The client address (IPv6: its /56): failures from one address on any account. */
  address: { type: String, required: true },
  at: { type: Date, required: true },
  /** After this it no longer counts and the sweep deletes it (FerretDB v1 has no TTL expiry). */
  expires: { type: Date, required: true, index: true },
};
const loginAttemptOptions = { collection: 'login_attempts', versionKey: false } as const;
export type LoginAttemptDoc = Omit<Stored<typeof loginAttemptFields, typeof loginAttemptOptions>, '_id'>;

const loginAttemptSchema = new Schema<LoginAttemptDoc>(loginAttemptFields, loginAttemptOptions);
loginAttemptSchema.index({ account: 1, at: 1 });
loginAttemptSchema.index({ address: 1, at: 1 });

export const loginAttemptModel = (conn: Connection) =>
  conn.model<LoginAttemptDoc>('LoginAttempt', loginAttemptSchema);
