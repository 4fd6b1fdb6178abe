import { Schema, type Connection } from 'mongoose';
import { ROLES, type Role } from '../shared/roles.js';

export interface UserDoc {
  username: string;
  displayName: string;
  role: Role;
  /**
   * Home station: scopes what live feeds show and, for stores and inspectors, which station's
   * things they may change (null: force-wide; see station-scope.ts).
   */
  station: string | null;
  passwordHash: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    username: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    station: { type: String, default: null },
    passwordHash: { type: String, required: true },
    active: { type: Boolean, default: true },
  },
  { collection: 'users', timestamps: true, versionKey: false },
);

export interface ApiTokenDoc {
  name: string;
  username: string;
  /** SHA-256 of the token: tokens are 256-bit random, so a fast hash is enough. */
  hash: string;
  /** The first characters, to tell tokens apart in listings. */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const tokenSchema = new Schema<ApiTokenDoc>(
  {
    name: { type: String, required: true },
    username: { type: String, required: true, index: true },
    hash: { type: String, required: true, unique: true },
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_tokens', versionKey: false },
);

export const userModel = (conn: Connection) => conn.model<UserDoc>('User', userSchema);
export const apiTokenModel = (conn: Connection) => conn.model<ApiTokenDoc>('ApiToken', tokenSchema);
