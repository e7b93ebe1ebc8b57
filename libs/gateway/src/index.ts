export { IoauthIoAdapter } from './adapter/ioauth-io.adapter.js';
export { SocketServerSecurity } from './adapter/socket-server-security.js';
export { AllowIf } from './guards/allow-if.decorator.js';
export { WsAuth, WsUser } from './guards/ws-auth.decorator.js';
export { WsErrorFilter } from './guards/ws-error.filter.js';
export { WsJwtGuard } from './guards/ws-jwt.guard.js';
export { connectError, type ConnectError } from './handshake/connect-error.js';
export { HandshakeAuthenticator } from './handshake/handshake-authenticator.js';
export { handshakeToken } from './handshake/token-source.js';
export { wsIdentity, WS_IDENTITY_KEY, type WsIdentity } from './identity/ws-identity.js';
export { ExpiryWheel } from './lifecycle/expiry-wheel.js';
export { TokenLifecycle } from './lifecycle/token-lifecycle.service.js';
export { namespacePolicy } from './policy/namespace-policies.js';
export type {
  EventPolicyContext,
  EventPredicate,
  NamespacePolicyContext,
  RoomPolicyContext,
} from './policy/policy-predicate.js';
export { WsAuthModule } from './ws-auth.module.js';
export type {
  EventBudget,
  NamespacePolicy,
  NamespacePolicyRule,
  RoomPolicyRule,
  SocketIoAdapter,
  WsAuthOptions,
} from './ws-auth.options.js';
export { WsAuthService } from './ws-auth.service.js';
export { parseWsAuthOptions, type WsAuthSettings } from './ws-auth.options.schema.js';
export { asyncApiDocument, type AsyncApiDocument } from './asyncapi/asyncapi-document.js';
export type { AsyncApiOptions } from './asyncapi/asyncapi.options.js';
