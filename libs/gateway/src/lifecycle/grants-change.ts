import { Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';

import { RevocationList } from '@ioauth/auth-core';

import type { WsIdentity } from '../identity/ws-identity.js';

/** A socket identity as the grants records leave it. */
export interface GrantsCut {
  /** The identity with only the scopes and roles its user still holds. */
  identity: WsIdentity;
  /**
   * The token was issued in the same second as the cut: `iat` cannot tell whether it was minted before or after it,
   * so it is narrowed to be safe, but as an in-band refresh it answers the cut's warning: asking again could bring a
   * token just as ambiguous.
   */
  fresh: boolean;
}

/**
 * The grants a user lost, applied to socket identities (contract v2, "Grants that change mid-connection"): a token
 * issued before a grants record keeps only the scopes and roles the record left, from its handshake or in-band
 * refresh on, and its socket must refresh in-band by a deadline. The handshake narrows here; `TokenLifecycle`
 * narrows live sockets, warns them and closes those that miss their deadline.
 */
@Injectable()
export class GrantsChange {
  // Identities narrowed at their handshake, whose socket is to be warned once connected.
  private readonly unwarned = new WeakSet<WsIdentity>();
  // Sockets whose grants were cut: the second by which an in-band refresh must come.
  private readonly deadlines = new WeakMap<Socket, number>();

  constructor(private readonly revocations: RevocationList) {}

  /** The identity a token may still use, or `undefined` when no grants record narrows it. */
  narrow(identity: WsIdentity): GrantsCut | undefined {
    const grants = this.revocations.narrowedGrants(identity);
    if (grants === undefined) return undefined;
    // A cut that no longer narrows the same token a second later was made within the token's own second.
    const fresh =
      identity.iat !== undefined &&
      this.revocations.narrowedGrants({ ...identity, iat: identity.iat + 1 }) === undefined;
    return { identity: { ...identity, scope: grants.scope, roles: grants.roles }, fresh };
  }

  /** The identity a handshake's socket gets: narrowed if a grants record says so, then warned once connected. */
  atHandshake(identity: WsIdentity): WsIdentity {
    const cut = this.narrow(identity);
    if (cut === undefined) return identity;
    this.unwarned.add(cut.identity);
    return cut.identity;
  }

  /** Whether the handshake narrowed this identity and its socket is still to be warned; true once. */
  takeWarning(identity: WsIdentity | undefined): boolean {
    return identity !== undefined && this.unwarned.delete(identity);
  }

  /** The second (since the epoch) by which a socket whose grants were cut must refresh in-band, if any. */
  deadline(socket: Socket): number | undefined {
    return this.deadlines.get(socket);
  }

  /**
   * Sets the refresh deadline of a socket whose grants were cut (contract v2): the end of the refresh window, never
   * after the token's `exp`, and never later than a deadline already set, so that a second cut or a refresh with a
   * token older than the cut never puts it off. Returns it, in seconds.
   * @param windowEndsAt the end of the refresh window, in ms since the epoch.
   */
  setDeadline(socket: Socket, identity: WsIdentity, windowEndsAt: number): number {
    let deadline = Math.ceil(windowEndsAt / 1000);
    if (identity.exp !== undefined) deadline = Math.min(deadline, identity.exp);
    const pending = this.deadlines.get(socket);
    if (pending !== undefined) deadline = Math.min(deadline, pending);
    this.deadlines.set(socket, deadline);
    return deadline;
  }

  /** Forgets a socket's deadline: an in-band refresh answered it, or the socket is gone. */
  clearDeadline(socket: Socket): void {
    this.deadlines.delete(socket);
  }
}
