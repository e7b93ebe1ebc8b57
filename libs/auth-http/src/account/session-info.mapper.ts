import type { SessionInfo } from '@ioauth/contracts';
import type { Session } from '@ioauth/store';

/**
 * A stored session as the contract shows it: times as RFC 3339 strings, `current` for the session of the caller's
 * access token (never, for an admin's list), a device the login did not tell as null.
 */
export function toSessionInfo(session: Session, currentSid?: string): SessionInfo {
  return {
    sid: session.sid,
    current: currentSid !== undefined && session.sid === currentSid,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    expires_at: session.absoluteExpiresAt.toISOString(),
    user_agent: session.userAgent ?? null,
    ip: session.ip ?? null,
  };
}
