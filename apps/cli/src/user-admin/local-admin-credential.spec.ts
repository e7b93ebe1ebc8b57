import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readLocalAdminCredential } from './local-admin-credential.js';

const KEY = 'k3y-of-the-server-0123456789_abcdefghijklmnopq';
const VALID = { url: 'http://127.0.0.1:41234', key: KEY, pid: 4321 };

describe('readLocalAdminCredential', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioauth-cli-credential-'));
    file = join(dir, 'admin-api.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const write = (content: unknown, mode = 0o600) =>
    writeFile(file, typeof content === 'string' ? content : JSON.stringify(content), { mode });

  it('reads the file the server writes', async () => {
    await write(VALID);
    expect(await readLocalAdminCredential(file)).toEqual({ ...VALID, file });
  });

  it('reads an IPv6 loopback URL', async () => {
    await write({ ...VALID, url: 'http://[::1]:41234' });
    expect(await readLocalAdminCredential(file)).toMatchObject({ url: 'http://[::1]:41234' });
  });

  it('finds none when the server offers no admin API', async () => {
    expect(await readLocalAdminCredential(file)).toBeUndefined();
  });

  it.each([0o640, 0o604, 0o660, 0o644, 0o602])(
    'refuses a file of mode %o, which others may read or write',
    async (mode) => {
      await write(VALID);
      await chmod(file, mode);
      const refused = readLocalAdminCredential(file);
      await expect(refused).rejects.toMatchObject({
        code: 'credential_file_unsafe',
        message: expect.stringContaining(`mode ${mode.toString(8)}`),
      });
      await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining(KEY) });
    },
  );

  it('refuses a symbolic link, even to a private file', async () => {
    const target = join(dir, 'elsewhere.json');
    await writeFile(target, JSON.stringify(VALID), { mode: 0o600 });
    await symlink(target, file);
    await expect(readLocalAdminCredential(file)).rejects.toMatchObject({
      code: 'credential_file_unsafe',
      message: expect.stringContaining('symbolic link'),
    });
  });

  it('refuses a folder in its place', async () => {
    await mkdir(file, { mode: 0o700 });
    await expect(readLocalAdminCredential(file)).rejects.toMatchObject({ code: 'credential_file_unsafe' });
  });

  // Only root can give a file to another user.
  (process.getuid?.() === 0 ? it : it.skip)('refuses a file that belongs to another user', async () => {
    await write(VALID);
    await chown(file, 1, 1);
    await expect(readLocalAdminCredential(file)).rejects.toMatchObject({
      code: 'credential_file_unsafe',
      message: expect.stringContaining('belongs to another user'),
    });
  });

  it.each([
    ['another host', 'http://10.0.0.7:41234'],
    ['a name to resolve', 'http://localhost:41234'],
    ['a host that starts like a loopback address', 'http://127.0.0.1.evil.example:41234'],
    ['user info', 'http://admin:pw@127.0.0.1:41234'],
    ['another scheme', 'ftp://127.0.0.1:41234'],
  ])('refuses a URL with %s: the key and passwords never leave the machine', async (_case, url) => {
    await write({ ...VALID, url });
    await expect(readLocalAdminCredential(file)).rejects.toMatchObject({
      code: 'credential_file_unsafe',
      message: expect.stringContaining('not a loopback one'),
    });
  });

  it.each([
    ['text that is not JSON', `key=${KEY}`],
    ['no key', { url: VALID.url, pid: 1 }],
    ['a key too short', { ...VALID, key: 'short' }],
    ['a key with a quote', { ...VALID, key: `${KEY}"` }],
    ['no pid', { url: VALID.url, key: KEY }],
    ['a URL that is none', { ...VALID, url: 'not a url' }],
    ['an array', [VALID]],
    ['null', 'null'],
  ])('refuses a file holding %s, never quoting it', async (_case, content) => {
    await write(content);
    const refused = readLocalAdminCredential(file);
    await expect(refused).rejects.toMatchObject({ code: 'admin_api_unavailable' });
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining(KEY) });
  });
});
