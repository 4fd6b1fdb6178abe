import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import { ROLES } from '../shared/roles.js';

const userFields = {
  username: { type: String, required: true, unique: true },
  displayName: { type: String, required: true },
  role: { type: String, enum: ROLES, required: true },
  /**
   * Home station: scopes what live feeds show and, for stores and inspectors, which station's
   * things they may change (null: force-wide; see station-scope.ts).
   */
  station: { type: String, default: null },
  passwordHash: { type: String, required: true },
  active: { type: Boolean, default: true },
  /**
   * Set when an admin resets the password (issue 19): until the user chooses their own, their
   * session may only read who they are, change the password or log out (authenticate.ts).
   * Absent on users stored before it: read as false.
   */
  mustChangePassword: { type: Boolean, default: false },
};
const userOptions = { collection: 'users', timestamps: true, versionKey: false } as const;
export type UserDoc = Omit<Stored<typeof userFields, typeof userOptions>, '_id'>;

const userSchema = new Schema<UserDoc>(userFields, userOptions);

const tokenFields = {
  name: { type: String, required: true },
  username: { type: String, required: true, index: true },
  /** SHA-256 of the token: tokens are 256-bit random, so a fast hash is enough. */
  hash: { type: String, required: true, unique: true },
  /** The first characters, to tell tokens apart in listings. */
  prefix: { type: String, required: true },
  createdAt: { type: Date, required: true },
  revokedAt: { type: Date, default: null },
};
const tokenOptions = { collection: 'api_tokens', versionKey: false } as const;
export type ApiTokenDoc = Omit<Stored<typeof tokenFields, typeof tokenOptions>, '_id'>;

const tokenSchema = new Schema<ApiTokenDoc>(tokenFields, tokenOptions);

export const userModel = (conn: Connection) => conn.model<UserDoc>('User', userSchema);
export const apiTokenModel = (conn: Connection) => conn.model<ApiTokenDoc>('ApiToken', tokenSchema);
