export { AssignmentsService, type Assignment, type CheckinResult } from './assignments.service.js';
export { AssignmentsRepository, type CustodySpan } from './assignments.repository.js';
export { assignmentsRoutes } from './assignments.routes.js';
export type { Mode, Condition } from './assignments.model.js';
export type { CheckoutInput, CheckinInput } from './assignments.schemas.js';
