import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { KeySetStorage, StoredKey } from './key-set.storage.js';

/**
 * Keeps managed keys in `<dataDir>/keys.json`, readable by the owner only (mode 0600 in a 0700 folder, OWASP ASVS
 * V6.4.1). Writes go to a temporary file first and are renamed into place, so a crash never leaves half a key set.
 */
export class FileKeySetStorage implements KeySetStorage {
  /** The key file: `<dataDir>/keys.json`. */
  readonly file: string;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, 'keys.json');
  }

  async load(): Promise<StoredKey[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let parsed: { keys?: unknown } | null;
    try {
      parsed = JSON.parse(text) as { keys?: unknown } | null;
    } catch {
      // JSON.parse quotes the text around a syntax error, and this text holds private keys: say less.
      parsed = null;
    }
    if (!Array.isArray(parsed?.keys)) throw new Error(`${this.file} is not an ioauth key set`);
    return parsed.keys as StoredKey[];
  }

  async save(keys: StoredKey[]): Promise<void> {
    await rename(await this.writeTemporary(keys), this.file);
  }

  /** Reads, changes and replaces the file; not locked against another process sharing the folder. */
  async update(change: (keys: StoredKey[]) => StoredKey[]): Promise<StoredKey[]> {
    const keys = change(await this.load());
    await this.save(keys);
    return keys;
  }

  async saveFirst(keys: StoredKey[]): Promise<boolean> {
    const temporary = await this.writeTemporary(keys);
    try {
      // link() refuses to replace an existing file, unlike rename(): the first process to get here wins.
      await link(temporary, this.file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temporary);
    }
  }

  private async writeTemporary(keys: StoredKey[]): Promise<string> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    // writeFile's mode is filtered by the umask; the key file must end up 0600 whatever the umask is.
    await chmod(temporary, 0o600);
    return temporary;
  }
}
