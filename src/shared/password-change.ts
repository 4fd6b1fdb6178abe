/**
 * What a user whose password an admin reset may still do until they choose their own (issue 19):
 * see who they are, change the password, log out. Everything else is 403 `password-change-required`
 * (auth/authenticate.ts enforces it; the API reference lists it on every other user route).
 */
export const WHILE_PASSWORD_CHANGE_REQUIRED: ReadonlySet<string> = new Set([
  'GET /me',
  'POST /auth/password',
  'POST /auth/logout',
]);
