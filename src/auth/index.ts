export { UsersService } from './users.service.js';
export { UsersRepository } from './users.repository.js';
export { configurePassport, bearerAuth, hasBearerToken } from './passport.js';
export { sessionMiddleware, csrfProtection, type Sessions } from './session.js';
export { authRoutes } from './auth.routes.js';
export { ROLES, ANY_ROLE, type Role } from './roles.js';
export {
  assertInStationScope,
  inStationScope,
  stationScopeOf,
  STATION_SCOPED_ROLES,
} from './station-scope.js';
export { LoginThrottle } from './login-throttle.js';
export { LoginAttemptsRepository } from './login-attempts.repository.js';
