import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The embedded database is open in another process. */
export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by another ioauth process (pid ${pid}): stop it first ` +
        '(the `npm start` server, say), or set DATABASE_URL so that several processes share PostgreSQL',
    );
    this.name = new.target.name;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the embedded database folder for this process. PGlite is single-process: a second process writing the
 * same files would corrupt them, so it is refused with a clear message instead. A lock left by a process that
 * died is taken over.
 * @throws EmbeddedDatabaseBusyError while another live process holds the folder.
 */
export async function lockEmbeddedDatabase(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'ioauth.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return async () => {
        if ((await readFile(file, 'utf8').catch(() => '')) === String(process.pid)) await unlink(file);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(file, 'utf8').catch(() => 'NaN'));
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new EmbeddedDatabaseBusyError(dataDir, holder);
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new Error(`could not lock the embedded database in ${dataDir}`);
}
