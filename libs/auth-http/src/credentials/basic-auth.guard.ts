import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

import { AuthError } from '@ioauth/auth-core';

import { BASIC_STRATEGY } from './basic.strategy.js';

/** Logs a user in with HTTP Basic through Passport; a refusal is `invalid_credentials`. */
@Injectable()
export class BasicAuthGuard extends AuthGuard(BASIC_STRATEGY) {
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new AuthError('invalid_credentials', 'HTTP Basic credentials are missing or malformed');
    return user;
  }
}
