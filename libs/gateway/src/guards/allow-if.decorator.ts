import { SetMetadata } from '@nestjs/common';

import type { AppClaims, EventPredicate } from '../policy/policy-predicate.js';

/** Metadata key of `@AllowIf`. */
export const ALLOW_IF = 'ioauth:allow-if';

/**
 * An event policy of the application's own, beside `@RequireScopes`/`@RequireRoles`, on a `@SubscribeMessage`
 * handler or its gateway (the handler's wins): `WsJwtGuard` asks the predicate once the scopes and roles pass, and
 * the handler runs only if it answers exactly `true` (or a promise of it). Any other answer, a throw, a rejection
 * or no answer within 5 s refuses the event with `forbidden`; the last three are logged as errors. `data` in its
 * context is the body as the client sent it: no pipe has validated it yet.
 */
export const AllowIf = <Claims extends AppClaims = AppClaims>(predicate: EventPredicate<Claims>) =>
  SetMetadata(ALLOW_IF, predicate);
