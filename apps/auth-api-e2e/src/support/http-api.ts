import type { AdminUser, ErrorBody, TokenResponse } from '@ioauth/contracts';
import type { ServerProcess } from '@ioauth/test-support';

/** `Authorization: Basic` of `user:password`. */
export const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

/** Expects a contract error body with this status and code. */
export async function expectError(response: Response, statusCode: number, code: string): Promise<void> {
  const body = (await response.json()) as ErrorBody;
  expect([response.status, body]).toEqual([statusCode, { statusCode, code, message: expect.any(String) }]);
}

let nextClient = 1;
/** A client address of its own (the servers trust X-Forwarded-For from loopback), so no case fills another's limit. */
export const anotherClient = () => `198.51.100.${(nextClient++ % 250) + 1}`;

let nextUser = 1;
/** A username no other case uses, so that lockouts and ended sessions stay within one case. */
export const uniqueUsername = (prefix: string) => `${prefix}-${process.pid}-${nextUser++}`;

/** The HTTP API of a running server, as a client calls it. */
export function httpApi(server: () => ServerProcess) {
  const call = (
    method: string,
    path: string,
    init: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${server().url}${path}`, {
      method,
      headers: {
        'x-forwarded-for': anotherClient(),
        ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
        ...(init.body === undefined && init.raw === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.raw !== undefined ? { body: init.raw } : {}),
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });

  const login = async (
    username: string,
    password = `${username}-password`,
    headers: Record<string, string> = {},
  ): Promise<TokenResponse> => {
    const response = await call('POST', '/auth/login', {
      headers: { authorization: basic(`${username}:${password}`), ...headers },
    });
    expect([username, response.status]).toEqual([username, 200]);
    return (await response.json()) as TokenResponse;
  };

  return {
    call,
    login,
    refresh: (refreshToken: string) =>
      call('POST', '/auth/token', { body: { grant_type: 'refresh_token', refresh_token: refreshToken } }),
    me: (accessToken: string) => call('GET', '/auth/me', { token: accessToken }),
    /** Adds a user through the admin API (as `admin`), with the password `<username>-password`. */
    addUser: async (
      adminToken: string,
      username: string,
      grants: { scopes?: string[]; roles?: string[] } = {},
    ): Promise<AdminUser> => {
      const response = await call('POST', '/admin/users', {
        token: adminToken,
        body: { username, password: `${username}-password`, ...grants },
      });
      expect([username, response.status]).toEqual([username, 201]);
      return (await response.json()) as AdminUser;
    },
  };
}
