export { ShiftsService, shiftId, type Shift, type OnDuty, type RosterReport } from './shifts.service.js';
export { ShiftsRepository } from './shifts.repository.js';
export { shiftsRoutes } from './shifts.routes.js';
