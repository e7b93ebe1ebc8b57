import { IoauthError } from '@ioauth/client';

import {
  deviceName,
  devicesErrorText,
  devicesHeadingText,
  grantsText,
  passwordErrorText,
  resumeFailedText,
} from './account-messages.js';

describe('what the demo page says about the account', () => {
  it.each([
    [0, 'Signed in on 0 devices'],
    [1, 'Signed in on 1 device'],
    [2, 'Signed in on 2 devices'],
  ])('counts %i devices', (count, text) => {
    expect(devicesHeadingText(count)).toBe(text);
  });

  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36',
      'Chrome on Linux',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    ['curl/8.5.0', 'curl/8.5.0'],
    [null, 'Unknown browser'],
    ['x'.repeat(300), 'x'.repeat(60)],
  ])('names the device of %j', (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name);
  });

  it.each([
    ['invalid_credentials', 401, 'Not changed: the current password is wrong (invalid_credentials).'],
    ['weak_password', 400, 'Not changed: the new password is too short or too common (weak_password).'],
    ['invalid_request', 400, 'Not changed: the body is bad (invalid_request).'],
  ] as const)('after a password change refused with %s', (code, status, text) => {
    expect(passwordErrorText(new IoauthError(code, 'the body is bad', status))).toBe(text);
  });

  it('says why a session could not be restored, and what to do', () => {
    expect(resumeFailedText(new IoauthError('service_unavailable', 'x'))).toBe(
      'Your session could not be restored: the server cannot be reached (service_unavailable). Log in, or reload the page to try again.',
    );
  });

  it('tells a device already signed out from other failures', () => {
    expect(devicesErrorText(new IoauthError('not_found', 'no such session', 404))).toBe(
      'That device was already signed out (not_found).',
    );
    expect(devicesErrorText(new IoauthError('token_revoked', 'the session is revoked', 401))).toBe(
      'The devices could not be updated: the session is revoked (token_revoked).',
    );
  });

  it('lists grants, and says none', () => {
    expect(grantsText({ scope: ['chat:read', 'chat:write'], roles: [] })).toBe(
      'scopes: chat:read chat:write · roles: none',
    );
  });
});
