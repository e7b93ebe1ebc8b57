import type { Request, Response } from 'express';

import type { TokenResponse } from '@ioauth/contracts';

import { parseAuthHttpOptions } from '../auth-http.options.schema.js';
import { RefreshCookie } from './refresh-cookie.js';

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const TOKEN = 'r'.repeat(43);

const fromPage = {
  'x-requested-with': 'ioauth',
  origin: 'http://127.0.0.1:3000',
  cookie: `theme=dark; ioauth_refresh=${TOKEN}`,
};

function setup(options: Record<string, unknown> = { refreshCookie: true }) {
  return new RefreshCookie(parseAuthHttpOptions(options), { now: () => NOW });
}

// What Express derives from a request to http://127.0.0.1:3000 (its `host`, `hostname`, `protocol`).
const request = (headers: Record<string, string | undefined>, host = '127.0.0.1:3000', protocol = 'http') =>
  ({ headers, host, hostname: host.replace(/:\d+$/, ''), protocol }) as unknown as Request;

function response() {
  const calls: { name: string; value?: string; options: Record<string, unknown> }[] = [];
  const fake = {
    cookie: (name: string, value: string, options: Record<string, unknown>) =>
      calls.push({ name, value, options }),
    clearCookie: (name: string, options: Record<string, unknown>) => calls.push({ name, options }),
  };
  return { response: fake as unknown as Response, calls };
}

describe('RefreshCookie.take', () => {
  it('gives the cookie of a script request from the API’s own origin', () => {
    expect(setup().take(request(fromPage))).toBe(TOKEN);
    expect(setup().take(request({ ...fromPage, 'sec-fetch-site': 'same-origin' }))).toBe(TOKEN);
  });

  it('gives nothing, from an allowed page, when there is no cookie or an empty one', () => {
    expect(setup().take(request({ ...fromPage, cookie: undefined }))).toBeUndefined();
    expect(setup().take(request({ ...fromPage, cookie: 'ioauth_refresh=' }))).toBeUndefined();
  });

  it.each([
    ['without X-Requested-With', { 'x-requested-with': undefined }],
    ['with an empty X-Requested-With', { 'x-requested-with': ' ' }],
    ['without Origin', { origin: undefined }],
    ['from the opaque origin null', { origin: 'null' }],
    ['from another origin', { origin: 'https://evil.example' }],
    ['from another port of the host', { origin: 'http://127.0.0.1:4000' }],
    ['from the same host over https', { origin: 'https://127.0.0.1:3000' }],
    ['that the browser calls cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a request %s with forbidden', (_case, headers) => {
    expect(() => setup().take(request({ ...fromPage, ...headers }))).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
  });

  it('takes the origin’s scheme from the request, X-Forwarded-Proto included when Express trusts the proxy', () => {
    const behindProxy = request({ ...fromPage, origin: 'https://auth.example' }, 'auth.example', 'https');
    expect(setup().take(behindProxy)).toBe(TOKEN);
  });

  it('allows the configured origins in place of its own', () => {
    const cookie = setup({ refreshCookie: true, refreshCookieOrigins: ['https://app.example'] });
    expect(cookie.take(request({ ...fromPage, origin: 'https://app.example' }))).toBe(TOKEN);
    expect(() => cookie.take(request(fromPage))).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});

describe('RefreshCookie.set and clear', () => {
  const tokens = { access_token: 'a.b.c', refresh_token: TOKEN } as TokenResponse;
  const issued = { tokens, refreshExpiresAt: new Date(NOW + 2 * HOUR) };

  it('sets an HttpOnly, SameSite=Strict cookie on /auth until the refresh token expires', () => {
    const { response: res, calls } = response();
    setup().set(request({}, 'auth.example', 'https'), res, issued);
    expect(calls).toEqual([
      {
        name: 'ioauth_refresh',
        value: TOKEN,
        options: { httpOnly: true, sameSite: 'strict', path: '/auth', secure: true, maxAge: 2 * HOUR },
      },
    ]);
  });

  it('sets none for a refresh token that has expired already', () => {
    const { response: res, calls } = response();
    setup().set(request({}), res, { tokens, refreshExpiresAt: new Date(NOW) });
    expect(calls).toEqual([]);
  });

  it.each([['127.0.0.1:3000'], ['localhost:3000'], ['[::1]:3000'], ['127.8.9.10']])(
    'leaves Secure off on the loopback host %s, which speaks plain http',
    (host) => {
      const { response: res, calls } = response();
      setup().set(request({}, host), res, issued);
      expect(calls[0]?.options).toMatchObject({ secure: false });
    },
  );

  it('clears with the attributes it set', () => {
    const { response: res, calls } = response();
    setup().clear(request({}, 'auth.example', 'https'), res);
    expect(calls).toEqual([
      {
        name: 'ioauth_refresh',
        options: { httpOnly: true, sameSite: 'strict', path: '/auth', secure: true },
      },
    ]);
  });

  it('does nothing outside cookie mode', () => {
    const { response: res, calls } = response();
    const off = setup({});
    off.set(request({}), res, issued);
    off.clear(request({}), res);
    expect([off.enabled, calls]).toEqual([false, []]);
  });
});
