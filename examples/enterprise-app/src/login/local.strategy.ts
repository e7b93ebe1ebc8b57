import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';

import { CredentialsVerifier, type SessionUser } from '@ioauth/sessions';

/**
 * passport-local for the app's form login: `username` and `password` from a JSON or form body, checked by ioauth's
 * `CredentialsVerifier` (the per-username lockout, then this app's user directory), as the Basic route checks them.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly credentials: CredentialsVerifier) {
    super();
  }

  validate(username: string, password: string): Promise<SessionUser> {
    return this.credentials.verify(username, password);
  }
}
