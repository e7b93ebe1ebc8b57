import type { PasswordChange, SessionInfo, SessionsResponse } from '@ioauth/contracts';

import { IoauthError } from '../ioauth.error.js';
import type { ApiClient } from './api-client.js';

/** The signed-in user's own account routes (`/auth/sessions`, `/auth/password`), called with the access token. */
export class AccountCalls {
  constructor(
    private readonly api: ApiClient,
    private readonly accessToken: () => Promise<string>,
  ) {}

  async sessions(): Promise<SessionInfo[]> {
    const body = await this.api.json<SessionsResponse>('/auth/sessions', {
      method: 'GET',
      authorization: await this.bearer(),
    });
    return body.sessions;
  }

  async endSession(sid: string): Promise<void> {
    // A dot segment survives encodeURIComponent and URL resolution would remove it: `endSession('.')` must not become
    // `DELETE /auth/sessions`, which ends every other session.
    if (sid === '' || sid === '.' || sid === '..')
      throw new IoauthError('invalid_request', 'not a session id');
    await this.api.send(`/auth/sessions/${encodeURIComponent(sid)}`, {
      method: 'DELETE',
      authorization: await this.bearer(),
    });
  }

  async endOtherSessions(): Promise<void> {
    await this.api.send('/auth/sessions', { method: 'DELETE', authorization: await this.bearer() });
  }

  async changePassword(current: string, next: string): Promise<void> {
    const body: PasswordChange = { current_password: current, new_password: next };
    await this.api.send('/auth/password', { method: 'POST', body, authorization: await this.bearer() });
  }

  private async bearer(): Promise<string> {
    return `Bearer ${await this.accessToken()}`;
  }
}
