export { AuditService, type AuditRecord } from './audit.service.js';
export { AuditRepository } from './audit.repository.js';
export { auditRoutes } from './audit.routes.js';
export { changedFields } from './changes.js';
