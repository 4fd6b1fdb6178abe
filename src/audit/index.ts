export { AuditService, type AuditRecord } from './audit.service.js';
export { AuditRepository } from './audit.repository.js';
export type { Actor, ActionContext } from './actor.js';
export { systemContext } from './actor.js';
export { auditRoutes } from './audit.routes.js';
export { changedFields } from './changes.js';
