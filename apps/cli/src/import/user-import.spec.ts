import { AuthError } from '@ioauth/auth-core';
import type { AdminUser } from '@ioauth/contracts';

import { CliError } from '../cli.error.js';
import type { NewUserRequest, UserAdminPort } from '../user-admin/user-admin.port.js';
import type { ImportRow } from './user-file.parser.js';
import { importUsers } from './user-import.js';

/** Users in memory, refusing as `UserAdminService` does; `delays` makes some rows finish out of order. */
class MemoryUsers implements Pick<UserAdminPort, 'create'> {
  readonly names = new Set<string>(['existing']);
  inFlight = 0;
  mostInFlight = 0;
  failWith: Error | undefined;

  constructor(private readonly delays: Record<string, number> = {}) {}

  async create({ username, password }: NewUserRequest): Promise<AdminUser> {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      for (let turn = 0; turn < (this.delays[username] ?? 0); turn += 1) await Promise.resolve();
      if (this.failWith) throw this.failWith;
      if (password.length < 8)
        throw new AuthError('weak_password', 'the password is shorter than 8 characters');
      if (this.names.has(username)) throw new AuthError('conflict', 'a user with this name exists');
      this.names.add(username);
      const at = new Date(0).toISOString();
      return { username, scopes: [], roles: [], disabled: false, created_at: at, updated_at: at };
    } finally {
      this.inFlight -= 1;
    }
  }
}

const row = (number: number, username: string, password = 'long-enough'): ImportRow => ({
  row: number,
  username,
  user: { username, password },
});

describe('importUsers', () => {
  it('adds new users, skips existing ones untouched, and reports bad rows with their reason', async () => {
    const users = new MemoryUsers();
    const report = await importUsers(
      [
        row(2, 'ann'),
        row(3, 'existing', 'another-password'),
        row(4, 'bea', 'zq7'),
        {
          row: 5,
          error: { code: 'invalid_request', message: 'the row has 1 fields where the header has 2' },
        },
        { row: 6, username: 'ann', error: { code: 'conflict', message: 'the username is also on row 2' } },
      ],
      users as unknown as UserAdminPort,
    );
    expect(report).toEqual({
      total: 5,
      added: ['ann'],
      skipped: ['existing'],
      failed: [
        {
          row: 4,
          username: 'bea',
          code: 'weak_password',
          message: 'the password is shorter than 8 characters',
        },
        { row: 5, code: 'invalid_request', message: 'the row has 1 fields where the header has 2' },
        { row: 6, username: 'ann', code: 'conflict', message: 'the username is also on row 2' },
      ],
    });
    expect(JSON.stringify(report)).not.toContain('zq7');
  });

  it('keeps at most `concurrency` rows in flight and reports in file order whatever finishes first', async () => {
    const users = new MemoryUsers({ u1: 30, u2: 1, u3: 20, u4: 0, u5: 5 });
    const progress: number[] = [];
    const rows = [1, 2, 3, 4, 5].map((n) => row(n, `u${n}`));
    const report = await importUsers(rows, users as unknown as UserAdminPort, {
      concurrency: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(users.mostInFlight).toBe(2);
    expect(report.added).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops at an error that no row caused, saying where, and attempts no further row', async () => {
    const users = new MemoryUsers();
    const rows = [row(1, 'cid'), row(2, 'dan'), row(3, 'eve'), row(4, 'fay')];
    let calls = 0;
    const port = {
      create: async (user: NewUserRequest) => {
        calls += 1;
        if (user.username === 'dan')
          users.failWith = new CliError('admin_api_unavailable', 'no server answers');
        return users.create(user);
      },
    } as unknown as UserAdminPort;
    const report = await importUsers(rows, port, { concurrency: 1 });
    expect(report).toEqual({
      total: 4,
      added: ['cid'],
      skipped: [],
      failed: [],
      stopped: { row: 2, username: 'dan', code: 'admin_api_unavailable', message: 'no server answers' },
    });
    expect(calls).toBe(2);
  });

  it('imports nothing from an empty file', async () => {
    expect(await importUsers([], new MemoryUsers() as unknown as UserAdminPort)).toEqual({
      total: 0,
      added: [],
      skipped: [],
      failed: [],
    });
  });
});
