import {
  applyDecorators,
  createParamDecorator,
  UseFilters,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import type { Socket } from 'socket.io';

import { wsIdentity } from '../identity/ws-identity.js';
import { WsErrorFilter } from './ws-error.filter.js';
import { WsJwtGuard } from './ws-jwt.guard.js';

/** Guards a gateway or handler with `WsJwtGuard` and answers refusals with `WsErrorFilter`. */
export const WsAuth = () => applyDecorators(UseGuards(WsJwtGuard), UseFilters(WsErrorFilter));

/**
 * The `WsIdentity` of the socket that sent the event (undefined for an anonymous socket); type the application's
 * own claims with it, as in `@WsUser() user: WsIdentity<{ tenant: string }>`.
 */
export const WsUser = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  wsIdentity(context.switchToWs().getClient<Socket>()),
);
