import type { Revocation } from './revocation.js';

/** Revocations read from the log, and where the next read starts. */
export interface RevocationPage {
  revocations: Revocation[];
  /** The log's own clock when the read began: pass it to the next `readSince`. */
  position: Date;
}

/**
 * The durable record of revocations: the source of truth for who may still be in (contract v2, "Revocation is
 * durable"). A revocation is recorded before it is answered or published, and kept until the last token it can
 * concern has expired, whatever happens to the session or the user later. `StoreModule` provides one over the
 * database; a team may pass its own as `AuthCoreModule`'s `revocationLog`.
 */
export interface RevocationLog {
  /**
   * Stores a revocation and ends what it covers in the same transaction: for a session, its refresh tokens; for a
   * user, every live session (but `exceptSid`). Resolves with the ids of the sessions it ended.
   */
  record(revocation: Revocation, keepUntil: Date): Promise<string[]>;
  /**
   * Revocations still kept that were recorded after `since` (all of them when undefined), a user revocation with
   * the `sids` it ended. Reads overlap the
   * previous one by a margin, so a revocation committed late is not skipped; callers must be idempotent.
   */
  readSince(since: Date | undefined): Promise<RevocationPage>;
}
