import { Schema, type Connection } from 'mongoose';

/**
 * One login attempt: inserted before the password is checked, deleted again unless it failed.
 * Counting these documents is how every API process sees the same failures: FerretDB v1 updates
 * are read-modify-write without locks, so a shared counter (`$inc`) would lose concurrent
 * increments, while inserts never collide.
 */
export interface LoginAttemptDoc {
  /** The username tried, lower-cased: failures on one account from any address. */
  account: string;
  /** The client address (IPv6: its /56): failures from one address on any account. */
  address: string;
  at: Date;
  /** After this it no longer counts and the sweep deletes it (FerretDB v1 has no TTL expiry). */
  expires: Date;
}

const loginAttemptSchema = new Schema<LoginAttemptDoc>(
  {
    account: { type: String, required: true },
    address: { type: String, required: true },
    at: { type: Date, required: true },
    expires: { type: Date, required: true, index: true },
  },
  { collection: 'login_attempts', versionKey: false },
);
loginAttemptSchema.index({ account: 1, at: 1 });
loginAttemptSchema.index({ address: 1, at: 1 });

export const loginAttemptModel = (conn: Connection) =>
  conn.model<LoginAttemptDoc>('LoginAttempt', loginAttemptSchema);
