import { PasswordHasher, type User, type UserRepository } from '@ioauth/store';

import { StoreUserDirectory } from './store-user.directory.js';

const T0 = new Date('2026-11-24T12:00:00Z');

async function setup() {
  const passwords = new PasswordHasher();
  const stored = (username: string, disabled = false): Promise<User> =>
    passwords.hash(`${username}-password`).then((passwordHash) => ({
      username,
      passwordHash,
      scopes: ['chat:read'],
      roles: ['reader'],
      disabled,
      createdAt: T0,
      updatedAt: T0,
    }));
  const rows = new Map([
    ['alice', await stored('alice')],
    ['carol', await stored('carol', true)],
  ]);
  const users = { findByUsername: async (name: string) => rows.get(name) } as UserRepository;
  const work: string[] = [];
  import.meta.jest.spyOn(passwords, 'verify').mockImplementation(async (hash, password) => {
    work.push('verify');
    return new PasswordHasher().verify(hash, password);
  });
  import.meta.jest.spyOn(passwords, 'verifyNothing').mockImplementation(async () => {
    work.push('verifyNothing');
    return false;
  });
  return { directory: new StoreUserDirectory(users, passwords), work };
}

describe('StoreUserDirectory', () => {
  it('answers the user of a right password, with the username as subject', async () => {
    const { directory } = await setup();
    expect(await directory.verifyPassword('alice', 'alice-password')).toEqual({
      sub: 'alice',
      scopes: ['chat:read'],
      roles: ['reader'],
      disabled: false,
    });
    expect(await directory.verifyPassword('alice', 'wrong')).toBeUndefined();
  });

  it.each([
    ['an unknown user', 'mallory'],
    ['a disabled user', 'carol'],
  ])('spends one password verification on %s too, and answers nothing', async (_case, username) => {
    const { directory, work } = await setup();
    expect(await directory.verifyPassword(username, `${username}-password`)).toBeUndefined();
    expect(work).toEqual(['verifyNothing']);
  });

  it('finds a user by subject, disabled or not, for the refresh to judge', async () => {
    const { directory } = await setup();
    expect(await directory.findUser('carol')).toMatchObject({ sub: 'carol', disabled: true });
    expect(await directory.findUser('mallory')).toBeUndefined();
  });
});
