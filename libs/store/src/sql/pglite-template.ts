import { access, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { readTar, tarFile, type TarEntry } from './tar.js';

/** The entry of a template that says which PGlite made it; never extracted. */
const MANIFEST = 'ioauth-template.json';
/** Written last: a folder without it holds no database, whatever else an interrupted start left there. */
const PG_VERSION = 'PG_VERSION';
/** The lock file of `lockEmbeddedDatabase`, which is not ours to remove. */
const LOCK_FILE = 'ioauth.pid';
/** Written before the first file of a template and removed after `PG_VERSION`: marks a load that may be partial. */
const LOADING = 'ioauth-template.loading';

interface TemplateManifest {
  pglite: string;
}

/** The version of the installed PGlite, which a template must have been made with. */
export async function pgliteVersion(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Whether the folder holds a database (PostgreSQL writes `PG_VERSION` into every data folder). */
export async function holdsDatabase(dataDir: string): Promise<boolean> {
  return access(join(dataDir, PG_VERSION)).then(
    () => true,
    () => false,
  );
}

/**
 * Removes what an interrupted template load left in a folder that holds no database, the lock file excepted.
 * Files that no template load of ours wrote (no `LOADING` marker: someone's data, a cluster without `PG_VERSION`)
 * are never deleted: the start stops and says so, since they may hold the only copy of users and revocations.
 * @throws Error when the folder holds such files.
 */
export async function clearLeftovers(dataDir: string): Promise<void> {
  const names = (await readdir(dataDir)).filter((name) => name !== LOCK_FILE);
  if (names.length === 0) return;
  if (!names.includes(LOADING))
    throw new Error(
      `${dataDir} holds files but no database (no ${PG_VERSION}); move them away to start a new one: ioauth deletes nothing it did not write`,
    );
  await Promise.all(names.map((name) => rm(join(dataDir, name), { recursive: true, force: true })));
}

/** A template: a manifest naming this PGlite, then the data folder as `dumpDataDir('none')` wrote it. */
export async function templateArchive(dump: Uint8Array): Promise<Uint8Array> {
  const manifest: TemplateManifest = { pglite: await pgliteVersion() };
  return Buffer.concat([tarFile(MANIFEST, Buffer.from(JSON.stringify(manifest))), dump]);
}

async function writeEntry(dataDir: string, entry: TarEntry): Promise<void> {
  // Relation files and the WAL segment end in zeros (16 MB of WAL holds 7 MB of records): the tail is left as a
  // hole, which reads back as zeros, instead of being written.
  let end = entry.data.length;
  while (end > 0 && entry.data[end - 1] === 0) end -= 1;
  const file = await open(join(dataDir, entry.path), 'w', 0o600);
  try {
    await file.write(entry.data, 0, end);
    if (end < entry.data.length) await file.truncate(entry.data.length);
  } finally {
    await file.close();
  }
}

/**
 * Fills an empty data folder from a template (gzipped or not), so that a first start skips `initdb`, the slowest
 * part of it (issue 13). The template's `PG_VERSION` is written last: a start interrupted midway leaves a folder
 * that the next start recognises as holding no database.
 * @throws Error when the template cannot be read, is not an ioauth template, or was made by another PGlite.
 */
export async function loadPgliteTemplate(dataDir: string, template: string): Promise<void> {
  const raw = await readFile(template);
  const entries = readTar(raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw);
  const [first, ...rest] = entries;
  if (first?.path !== MANIFEST) throw new Error('not an ioauth database template');
  const made = (JSON.parse(Buffer.from(first.data).toString('utf8')) as Partial<TemplateManifest>).pglite;
  const installed = await pgliteVersion();
  if (made !== installed) throw new Error(`made by PGlite ${String(made)}, not ${installed}`);
  await writeFile(join(dataDir, LOADING), '', { mode: 0o600 });
  const files = rest.filter((entry) => !entry.directory);
  const folders = new Set([
    ...rest.filter((entry) => entry.directory).map((entry) => entry.path),
    ...files.map((entry) => dirname(entry.path)).filter((folder) => folder !== '.'),
  ]);
  for (const folder of folders) await mkdir(join(dataDir, folder), { recursive: true, mode: 0o700 });
  await Promise.all(
    files.filter((entry) => entry.path !== PG_VERSION).map((entry) => writeEntry(dataDir, entry)),
  );
  const version = files.find((entry) => entry.path === PG_VERSION);
  if (!version) throw new Error('not an ioauth database template');
  await writeFile(join(dataDir, PG_VERSION), version.data, { mode: 0o600 });
  await rm(join(dataDir, LOADING));
}
