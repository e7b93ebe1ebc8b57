import type { Socket } from 'socket.io';

import { wsIdentity } from '../identity/ws-identity.js';

/** The authenticated sockets of this process, by session and by user, so that a revocation finds them at once. */
export class SocketRegistry {
  private readonly bySid = new Map<string, Set<Socket>>();
  private readonly bySub = new Map<string, Set<Socket>>();

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
    return [...(this.bySid.get(sid) ?? [])];
  }

  /** Sockets of a user. */
  user(sub: string): Socket[] {
    return [...(this.bySub.get(sub) ?? [])];
  }

  /** Number of users with a socket here. */
  get users(): number {
    return this.bySub.size;
  }
}

function insert(index: Map<string, Set<Socket>>, key: string, socket: Socket): void {
  let sockets = index.get(key);
  if (!sockets) {
    sockets = new Set();
    index.set(key, sockets);
  }
  sockets.add(socket);
}

function erase(index: Map<string, Set<Socket>>, key: string, socket: Socket): void {
  const sockets = index.get(key);
  if (!sockets) return;
  sockets.delete(socket);
  if (sockets.size === 0) index.delete(key);
}
