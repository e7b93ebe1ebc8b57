import { IoauthError } from '@ioauth/client';

import { loginErrorText, logoutFailedText, sendErrorText, signedOutText } from './messages.js';

describe('what the demo page says', () => {
  it.each([
    ['invalid_credentials', 401, 'Wrong username or password.'],
    ['rate_limited', 429, 'Too many login attempts: wait a minute, then try again.'],
    ['service_unavailable', undefined, 'The server cannot be reached: try again in a moment.'],
    ['invalid_request', 400, 'Login failed: bad header (invalid_request).'],
  ] as const)('after a login refused with %s', (code, status, text) => {
    expect(loginErrorText(new IoauthError(code, 'bad header', status))).toBe(text);
  });

  it.each([
    [
      'token_revoked',
      'Signed out: this session was ended from another device, by a password change or by an administrator (token_revoked).',
    ],
    [
      'refresh_token_reused',
      'Signed out: the refresh token was used twice, so the session was revoked (refresh_token_reused).',
    ],
    ['unavailable', 'Signed out: server says no (unavailable).'],
  ] as const)('when the socket reports unauthorized with %s', (code, text) => {
    expect(signedOutText(new IoauthError(code, 'server says no'))).toBe(text);
  });

  it.each([
    [
      new IoauthError('service_unavailable', 'the server cannot be reached'),
      'Logged out of this page, but the server did not confirm it: the session may stay active on the server until it expires (service_unavailable).',
    ],
    [
      new IoauthError('rate_limited', 'later', 429, 30),
      'Logged out of this page, but the server is refusing requests for a while: the session may stay active on the server until it expires (rate_limited).',
    ],
    [
      new Error('boom'),
      'Logged out of this page, but the server did not confirm it: the session may stay active on the server until it expires.',
    ],
  ])('when the server did not confirm a logout: %s', (error, text) => {
    expect(logoutFailedText(error)).toBe(text);
  });

  it('names the missing scope when chat:send is forbidden', () => {
    const forbidden = { code: 'forbidden', message: 'the token lacks a required scope or role' } as const;
    expect(sendErrorText(forbidden, ['chat:read'])).toBe('forbidden: you cannot send (missing chat:write)');
    expect(sendErrorText(forbidden, ['chat:read', 'chat:write'])).toBe(
      'forbidden: the token lacks a required scope or role',
    );
  });
});
