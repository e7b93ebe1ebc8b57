import { Inject, Injectable, Logger } from '@nestjs/common';

import { IOAUTH_CLOCK, IOAUTH_REVOCATION_BUS } from '../auth-core.constants.js';
import type { AuthCoreSettings } from '../auth-core.options.schema.js';
import { AUTH_CORE_SETTINGS, REVOCATION_LOG } from '../auth-core.settings.js';
import type { Clock } from '../clock.js';
import { AuthEvents } from '../events/auth-events.js';
import type { Revocation, RevocationBus, RevocationReason } from './revocation.js';
import type { RevocationLog } from './revocation-log.js';
import { RevocationList } from './revocation-list.js';

/**
 * Ends logins: every revocation is recorded in the `RevocationLog` before anything else (a failure there rejects,
 * and nothing is revoked half-way), then refused by this process at once, then announced on the bus. A bus that
 * fails (Redis down) does not fail the revocation: the other processes catch up from the log.
 */
@Injectable()
export class RevocationService {
  private readonly logger = new Logger('ioauth.revocation');
  private readonly keepMs: number;

  constructor(
    private readonly list: RevocationList,
    @Inject(IOAUTH_REVOCATION_BUS) private readonly bus: RevocationBus,
    @Inject(AUTH_CORE_SETTINGS) config: AuthCoreSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    @Inject(REVOCATION_LOG) private readonly log: RevocationLog | null,
    private readonly events: AuthEvents,
  ) {
    // As long as the last access token it can concern may still be presented (RFC 9700 section 4.14).
    this.keepMs = (config.accessTokenTtl + config.clockTolerance) * 1000;
  }

  /**
   * Ends a session: its refresh tokens, its access tokens and its live sockets, on every process.
   * @returns the number of live sessions it ended (0 for one revoked already or unknown).
   */
  async revokeSession(sid: string, sub: string, reason: RevocationReason): Promise<number> {
    const ended = await this.revoke({ kind: 'session', sid, sub, reason, at: this.clock.now() });
    this.events.emit({ type: 'session.revoked', sub, sid, reason });
    return ended;
  }

  /**
   * Ends every session of a user and refuses every token issued to them up to now; tokens of a later login are
   * accepted. For a kick, a disabled or a removed user, a password change.
   * @param options.exceptSid a session to spare (the one that changed the password, or ended the others).
   * @returns the number of live sessions it ended.
   */
  async revokeUser(
    sub: string,
    reason: RevocationReason,
    options: { exceptSid?: string } = {},
  ): Promise<number> {
    const { exceptSid } = options;
    const at = this.clock.now();
    const sessions = await this.revoke({
      kind: 'user',
      sub,
      reason,
      at,
      ...(exceptSid ? { exceptSid } : {}),
    });
    this.events.emit({ type: 'user.revoked', sub, reason, sessions });
    return sessions;
  }

  /**
   * Records that a user's grants are now `scopes` and `roles`, when they lost one: every token issued until now
   * keeps only the grants still held (HTTP routes and socket events judge it on those), and live sockets are asked
   * to refresh (contract v2). Gained grants need nothing: the next token carries them.
   */
  async changeGrants(sub: string, scopes: readonly string[], roles: readonly string[]): Promise<void> {
    await this.revoke({
      kind: 'grants',
      sub,
      reason: 'grants_changed',
      at: this.clock.now(),
      scopes: [...scopes],
      roles: [...roles],
    });
    this.events.emit({ type: 'grants.changed', sub });
  }

  private async revoke(recorded: Revocation): Promise<number> {
    const ended = this.log ? await this.log.record(recorded, new Date(recorded.at + this.keepMs)) : undefined;
    const revocation: Revocation =
      recorded.kind === 'user' && ended !== undefined ? { ...recorded, sids: ended } : recorded;
    this.list.add(revocation);
    try {
      await this.bus.publish(revocation);
    } catch (error) {
      this.logger.warn({
        msg: 'revocation stored but not announced: other processes catch up from the store',
        kind: revocation.kind,
        err: error instanceof Error ? error.name : 'error',
      });
    }
    return ended?.length ?? 0;
  }
}
