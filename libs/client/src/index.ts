export { realScheduler, type Scheduler } from './clock.js';
export { TypedEmitter } from './emitter.js';
export { IoauthError, isIoauthError } from './ioauth.error.js';
export {
  IoauthSocket,
  type ConnectionState,
  type IoauthSocketEvents,
  type IoauthSocketOptions,
} from './ioauth-socket.js';
export { basicAuthorization } from './tokens/basic.js';
export { SessionTokens, type LoginResult, type SessionTokensOptions } from './tokens/session-tokens.js';
export { callbackTokenSource, type TokenSource } from './tokens/token-source.js';
