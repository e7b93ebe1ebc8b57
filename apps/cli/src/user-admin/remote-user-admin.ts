import type { AdminSessionsResponse, AdminUser, AdminUsersResponse } from '@ioauth/contracts';

import { CliError, type CliErrorCode } from '../cli.error.js';
import type { LocalAdminCredential } from './local-admin-credential.js';
import type { NewUserRequest, UserAdminPort, UserChangeRequest } from './user-admin.port.js';

/** The header that makes a loopback request to `/admin/*` an admin request (contract v2, local admin credential). */
export const LOCAL_ADMIN_HEADER = 'X-Ioauth-Local-Admin';

// A server that accepts the connection but never answers would otherwise hold the command forever.
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The users of the embedded store held by a running server (`npm start`), through its admin API with the local
 * admin credential: the same `UserAdminService` runs there, so the checks, the live effects and the refusals are the
 * ones of the direct mode.
 */
export class RemoteUserAdmin implements UserAdminPort {
  constructor(
    private readonly credential: LocalAdminCredential,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async list(): Promise<AdminUser[]> {
    return (await this.call<AdminUsersResponse>('GET', '/admin/users')).users;
  }

  create(user: NewUserRequest): Promise<AdminUser> {
    return this.call<AdminUser>('POST', '/admin/users', user);
  }

  update(username: string, changes: UserChangeRequest): Promise<AdminUser> {
    return this.call<AdminUser>('PATCH', userPath(username), changes);
  }

  async remove(username: string): Promise<void> {
    await this.call('DELETE', userPath(username));
  }

  /** The admin API ends sessions without counting them (204): the live ones are counted just before. */
  async endSessions(username: string): Promise<number> {
    const { sessions } = await this.call<AdminSessionsResponse>('GET', `${userPath(username)}/sessions`);
    await this.call('DELETE', `${userPath(username)}/sessions`);
    return sessions.length;
  }

  private async call<T>(method: string, path: string, body?: object): Promise<T> {
    const { url, key, file } = this.credential;
    let response: Response;
    try {
      response = await this.fetchImpl(`${url}${path}`, {
        method,
        headers: { [LOCAL_ADMIN_HEADER]: key, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        // The key and the passwords go to the loopback origin of the file, never where a redirect points.
        redirect: 'error',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const refused = (error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED';
      throw new CliError(
        'admin_api_unavailable',
        refused
          ? `no server answers at ${url}, named in ${file}: it has stopped; if it does not start again, remove the file`
          : `the server at ${url}, named in ${file}, did not answer as the admin API of ioauth`,
        { cause: error },
      );
    }
    const payload = await readJson(response);
    if (response.ok) return payload as T;
    const { code, message } = (payload ?? {}) as { code?: unknown; message?: unknown };
    if (response.status === 401)
      throw new CliError(
        'admin_api_unavailable',
        `the server at ${url} refused the key of ${file}: the file is stale; restart the server`,
      );
    if (typeof code === 'string' && typeof message === 'string')
      throw new CliError(code as CliErrorCode, message);
    throw new CliError('internal_error', `the admin API answered ${response.status}`);
  }
}

const userPath = (username: string) => `/admin/users/${encodeURIComponent(username)}`;

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
