import { open } from 'node:fs/promises';

import { CliError } from '../cli.error.js';
import { MAX_IMPORT_BYTES } from './user-file.parser.js';

/**
 * Reads an import file, refusing one too large before reading it into memory.
 * @throws CliError `invalid_request`; the file system's error for a file that cannot be opened.
 */
export async function readUserFile(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    if ((await handle.stat()).size > MAX_IMPORT_BYTES)
      throw new CliError('invalid_request', `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
