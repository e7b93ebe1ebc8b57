export { AuthHttpModule } from './auth-http.module.js';
export { AuthService } from './auth.service.js';
export { BasicAuthGuard } from './credentials/basic-auth.guard.js';
export {
  MAX_PASSWORD_BYTES,
  parseBasicAuthorization,
  type BasicCredentials,
} from './credentials/basic-credentials.js';
export { LoginRateLimit } from './credentials/login-rate-limit.js';
export { BASIC_CHALLENGE, BASIC_STRATEGY, BasicStrategy } from './credentials/basic.strategy.js';
export { CurrentUser } from './guards/current-user.decorator.js';
export { JwtAuthGuard } from './guards/jwt-auth.guard.js';
export { ErrorBodyFilter } from './http/error-body.filter.js';
export { hashRefreshToken, newRefreshToken } from './tokens/refresh-token.js';
export { runHttpApp } from './http/run-http-app.js';
