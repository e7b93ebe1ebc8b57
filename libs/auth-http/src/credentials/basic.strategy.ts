import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { BasicStrategy as PassportBasicStrategy } from 'passport-http';

import { CredentialsVerifier, type SessionUser } from '@ioauth/sessions';

import { parseBasicAuthorization } from './basic-credentials.js';

/** Name under which the strategy registers with Passport. */
export const BASIC_STRATEGY = 'ioauth-basic';

/** The challenge of a refused login (RFC 7617 section 2.1 for the charset). */
export const BASIC_CHALLENGE = 'Basic realm="ioauth", charset="UTF-8"';

// What passport gives a strategy at request time (passport-strategy's actions), and passport-http's callback.
interface StrategyActions {
  success(user: unknown): void;
  fail(challenge: string, status: number): void;
  error(error: unknown): void;
  _verify(username: string, password: string, done: (error: unknown, user?: unknown) => void): void;
}

/**
 * passport-http's Basic strategy with an RFC 7617 parser in front: its own splits the user-pass at every colon
 * (passport-http#20), so a password holding one could never log in. After parsing, the flow is passport-http's:
 * its verify callback runs `validate`, the hook to override.
 */
@Injectable()
export class BasicStrategy extends PassportStrategy(PassportBasicStrategy, BASIC_STRATEGY) {
  constructor(private readonly credentials: CredentialsVerifier) {
    super({ realm: 'ioauth' });
  }

  override authenticate(request: Request): void {
    const actions = this as unknown as StrategyActions;
    const credentials = parseBasicAuthorization(request.headers.authorization);
    if (!credentials) {
      actions.fail(BASIC_CHALLENGE, 401);
      return;
    }
    actions._verify(credentials.username, credentials.password, (error, user) => {
      if (error) actions.error(error);
      else if (user) actions.success(user);
      else actions.fail(BASIC_CHALLENGE, 401);
    });
  }

  /**
   * Checks the credentials (see `CredentialsVerifier.verify`).
   * @throws AuthError `invalid_credentials`; `RateLimitedError` past the per-username limit.
   */
  async validate(username: string, password: string): Promise<SessionUser> {
    return this.credentials.verify(username, password);
  }
}
