import type { Socket } from 'socket.io';

import { wsIdentity } from '../identity/ws-identity.js';

/** The authenticated sockets of this process, by session and by user, so that a revocation finds them at once. */
export class SocketRegistry {
  // Most users and sessions hold one socket: it is stored as is, and a set is made only for a second one.
  private readonly bySid = new Map<string, Socket | Set<Socket>>();
  private readonly bySub = new Map<string, Socket | Set<Socket>>();

  /** Indexes a socket under its current identity. */
  add(socket: Socket): void {
    const identity = wsIdentity(socket);
    if (!identity) return;
    if (identity.sid !== undefined) insert(this.bySid, identity.sid, socket);
    insert(this.bySub, identity.sub, socket);
  }

  /** Removes a socket from the index of its current identity: call before the identity changes, and on disconnect. */
  remove(socket: Socket): void {
    const identity = wsIdentity(socket);
    if (!identity) return;
    if (identity.sid !== undefined) erase(this.bySid, identity.sid, socket);
    erase(this.bySub, identity.sub, socket);
  }

  /** Sockets of a session. */
  session(sid: string): Socket[] {
    return list(this.bySid.get(sid));
  }

  /** Sockets of a user. */
  user(sub: string): Socket[] {
    return list(this.bySub.get(sub));
  }
}

function list(entry: Socket | Set<Socket> | undefined): Socket[] {
  if (entry === undefined) return [];
  return entry instanceof Set ? [...entry] : [entry];
}

function insert(index: Map<string, Socket | Set<Socket>>, key: string, socket: Socket): void {
  const entry = index.get(key);
  if (entry === undefined || entry === socket) index.set(key, socket);
  else if (entry instanceof Set) entry.add(socket);
  else index.set(key, new Set([entry, socket]));
}

function erase(index: Map<string, Socket | Set<Socket>>, key: string, socket: Socket): void {
  const entry = index.get(key);
  if (entry === socket) {
    index.delete(key);
  } else if (entry instanceof Set) {
    entry.delete(socket);
    if (entry.size === 1) index.set(key, entry.values().next().value as Socket);
  }
}
