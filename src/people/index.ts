export { PeopleService } from './people.service.js';
export { PeopleRepository } from './people.repository.js';
export { peopleRoutes } from './people.routes.js';
export { QUALIFICATIONS, type Qualification } from '../shared/qualifications.js';
export type { OfficerDoc, StationDoc } from './people.model.js';
export { StationCode, StationParams, OfficerNumber, OfficerParams } from './people.schemas.js';
