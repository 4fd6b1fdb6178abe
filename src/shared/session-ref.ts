// A browser session's id is the secret its cookie carries: it never leaves the process that holds
// it. Where a session must be named elsewhere (the `user.session-ended` event, which other processes
// and webhooks receive), it is named by this digest instead.
import { createHash } from 'node:crypto';

export const sessionRef = (sessionId: string) =>
  createHash('sha256').update(`bwv-session:${sessionId}`).digest('base64url').slice(0, 22);
