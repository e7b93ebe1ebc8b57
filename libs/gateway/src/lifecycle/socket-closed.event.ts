import type { Socket } from 'socket.io';

import type { AuthEventOf } from '@ioauth/auth-core';

import { wsIdentity } from '../identity/ws-identity.js';

/** The `socket.closed` event of a socket ioauth is about to close. */
export function socketClosed(
  socket: Socket,
  reason: AuthEventOf<'socket.closed'>['reason'],
): AuthEventOf<'socket.closed'> {
  const identity = wsIdentity(socket);
  return {
    type: 'socket.closed',
    socketId: socket.id,
    namespace: socket.nsp.name,
    reason,
    ...(identity ? { sub: identity.sub, ...(identity.sid === undefined ? {} : { sid: identity.sid }) } : {}),
  };
}
