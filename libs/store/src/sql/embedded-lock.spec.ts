import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EmbeddedDatabaseBusyError, lockEmbeddedDatabase } from './embedded-lock.js';

describe('lockEmbeddedDatabase', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioauth-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a folder held by another live process, naming it and saying what to do', async () => {
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dir, 'ioauth.pid'), String(holder.pid));
      const error = await lockEmbeddedDatabase(dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EmbeddedDatabaseBusyError);
      expect((error as Error).message).toContain(`pid ${holder.pid}`);
      expect((error as Error).message).toContain('DATABASE_URL');
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left by a process that died, and releases it', async () => {
    await writeFile(join(dir, 'ioauth.pid'), '999999999');
    const release = await lockEmbeddedDatabase(dir);
    expect(await readFile(join(dir, 'ioauth.pid'), 'utf8')).toBe(String(process.pid));
    await release();
    await expect(readFile(join(dir, 'ioauth.pid'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
