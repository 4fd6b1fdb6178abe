export { IdempotencyService, fingerprintOf, type Outcome } from './idempotency.service.js';
export { IdempotencyRepository } from './idempotency.repository.js';
