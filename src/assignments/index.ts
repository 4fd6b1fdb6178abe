export {
  AssignmentsService,
  type Assignment,
  type CheckinResult,
  type CheckoutGates,
  type IssuedAssignment,
} from './assignments.service.js';
export { AssignmentsRepository, type CustodySpan } from './assignments.repository.js';
export { assignmentsRoutes } from './assignments.routes.js';
export type { Mode, Condition } from './assignments.model.js';
export type { CheckoutInput, CheckinInput } from './assignments.schemas.js';
export { FIRMWARE_GATES, type FirmwareGate } from './checkout-gates.js';
