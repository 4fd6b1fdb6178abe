export { UsersService } from './users.service.js';
export { UsersRepository } from './users.repository.js';
export { configurePassport } from './passport.js';
export { sessionMiddleware, type Sessions } from './session.js';
export { authenticateRequests } from './authenticate.js';
export { authRoutes } from './auth.routes.js';
export { LoginThrottle } from './login-throttle.js';
export { LoginAttemptsRepository } from './login-attempts.repository.js';
