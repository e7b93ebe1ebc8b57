import { posix } from 'node:path';

/** One file or folder of a ustar archive, its path relative to the archive's root. */
export interface TarEntry {
  path: string;
  directory: boolean;
  data: Uint8Array;
}

const BLOCK = 512;

const text = (block: Uint8Array, start: number, length: number) =>
  Buffer.from(block.subarray(start, start + length))
    .toString('utf8')
    .replace(/\0[\s\S]*$/, '');

/**
 * A path that stays inside the folder it is extracted to: relative, normalized, no `..`. PGlite writes its
 * archives with a leading `/`, which is dropped.
 */
function safePath(raw: string): string {
  const path = posix.normalize(raw.replace(/^\/+/, '')).replace(/\/$/, '');
  if (path === '.' || path === '' || path.startsWith('..') || path.includes('/../')) {
    throw new Error('the archive holds a path outside its folder');
  }
  return path;
}

/**
 * Reads the regular files and folders of an uncompressed ustar archive, as PGlite's `dumpDataDir('none')` writes
 * it; any other kind of entry (a link) is refused.
 * @throws Error on a truncated archive, an unsafe path or an entry kind it does not know.
 */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  for (let offset = 0; offset + BLOCK <= archive.length;) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return entries;
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header, 345, 155);
    const start = offset + BLOCK;
    if (!Number.isSafeInteger(size) || start + size > archive.length) throw new Error('truncated archive');
    if (type !== '0' && type !== '\0' && type !== '5') throw new Error('unsupported archive entry');
    entries.push({
      path: safePath(prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100)),
      directory: type === '5',
      data: archive.subarray(start, start + size),
    });
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error('truncated archive');
}

/** A ustar header and the padded data of one regular file. */
export function tarFile(path: string, data: Uint8Array): Uint8Array {
  const header = Buffer.alloc(BLOCK);
  header.write(path, 0, 100, 'utf8');
  header.write('0000600\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
  );
  header.write('0', 156);
  header.write('ustar\u000000', 257);
  // The checksum is computed with its own field read as spaces.
  header.write('        ', 148);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK);
  padded.set(data);
  return Buffer.concat([header, padded]);
}
