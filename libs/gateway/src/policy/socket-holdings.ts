import type { Socket } from 'socket.io';

import type { WsIdentity } from '../identity/ws-identity.js';
import type { WsAuthOptions } from '../ws-auth.options.js';
import { namespacePolicy } from './namespace-policies.js';
import { admits, mayHoldRooms } from './policy-check.js';

/** What a connected socket may keep under another identity. */
export interface Holdings {
  /** Whether its namespace's policy admits the identity. */
  namespace: boolean;
  /** The rooms whose policy refuses the identity (none when the namespace refuses it). */
  leave: string[];
}

/**
 * Judges a connected socket's namespace, then its rooms, on an identity it is about to take (an in-band refresh, a
 * grants cut): synchronously unless an application's predicate answers with a promise.
 */
export function holdings(
  options: Pick<WsAuthOptions, 'namespaces' | 'rooms'>,
  socket: Socket,
  identity: WsIdentity,
): Holdings | Promise<Holdings> {
  const namespace = socket.nsp.name;
  const admitted = admits(namespacePolicy(options.namespaces ?? [], namespace), identity, {
    namespace,
    socket,
  });
  const withRooms = (yes: boolean): Holdings | Promise<Holdings> => {
    if (!yes) return { namespace: false, leave: [] };
    const leave = roomsToLeave(options.rooms ?? [], socket, identity);
    return Array.isArray(leave)
      ? { namespace: true, leave }
      : leave.then((rooms) => ({ namespace: true, leave: rooms }));
  };
  return typeof admitted === 'boolean' ? withRooms(admitted) : admitted.then(withRooms);
}

function roomsToLeave(
  rules: NonNullable<WsAuthOptions['rooms']>,
  socket: Socket,
  identity: WsIdentity,
): string[] | Promise<string[]> {
  if (rules.length === 0) return [];
  const rooms = [...socket.rooms].filter((room) => room !== socket.id);
  const held = mayHoldRooms(rules, identity, rooms, socket);
  const refused = (verdicts: boolean[]) => rooms.filter((_room, index) => !verdicts[index]);
  return Array.isArray(held) ? refused(held) : held.then(refused);
}
