import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger, type LoggerService } from '@nestjs/common';

import { MIGRATIONS } from './migrations.js';
import { PgliteSqlClient } from './pglite.client.js';
import { readTar, tarFile } from './tar.js';

const warnings: string[] = [];
const capture: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: (message: unknown) => void warnings.push(String(message)),
};

const appliedSteps = async (client: PgliteSqlClient) =>
  (await client.query<{ steps: number }>('select count(*)::int as steps from ioauth_migrations'))[0]?.steps;

describe('PgliteSqlClient.open with a database template', () => {
  let work: string;
  let template: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ioauth-template-'));
    template = join(work, 'template.tar');
    await PgliteSqlClient.writeTemplate(template);
  }, 60_000);
  afterAll(() => rm(work, { recursive: true, force: true }));
  beforeEach(() => {
    warnings.length = 0;
    Logger.overrideLogger(capture);
  });
  afterEach(() => Logger.overrideLogger(['error', 'warn', 'log']));

  it('fills an empty folder with a migrated database that keeps its rows across restarts', async () => {
    const dir = join(work, 'fresh');
    const first = await PgliteSqlClient.open(dir, { template });
    expect(await appliedSteps(first)).toBe(MIGRATIONS.length);
    await first.query(`insert into ioauth_markers (name, created_at) values ('kept', now())`);
    await first.close();

    const again = await PgliteSqlClient.open(dir, { template });
    expect(await again.query('select name from ioauth_markers')).toEqual([{ name: 'kept' }]);
    await again.close();
    expect(warnings).toEqual([]);
  }, 60_000);

  it('clears what an interrupted template load left in the folder, then fills it', async () => {
    const dir = join(work, 'interrupted');
    await mkdir(join(dir, 'base', '1'), { recursive: true });
    await writeFile(join(dir, 'ioauth-template.loading'), '');
    await writeFile(join(dir, 'base', '1', '1247'), 'half-written');
    const client = await PgliteSqlClient.open(dir, { template });
    expect(await appliedSteps(client)).toBe(MIGRATIONS.length);
    await client.close();
    await expect(access(join(dir, 'ioauth-template.loading'))).rejects.toThrow();
  }, 60_000);

  it('refuses a folder holding files no template load wrote, and deletes none of them', async () => {
    const dir = join(work, 'foreign');
    await mkdir(join(dir, 'base', '1'), { recursive: true });
    await writeFile(join(dir, 'base', '1', '1247'), 'someone else');
    await expect(PgliteSqlClient.open(dir, { template })).rejects.toThrow(/holds files but no database/);
    await expect(readFile(join(dir, 'base', '1', '1247'), 'utf8')).resolves.toBe('someone else');
  }, 60_000);

  it.each([
    [
      'made by another PGlite version',
      () => tarFile('ioauth-template.json', Buffer.from('{"pglite":"0.0.1"}')),
    ],
    ['not a template', () => Buffer.from('not an archive')],
  ])(
    'creates the database as without a template, with a warning, when the template is %s',
    async (_case, content) => {
      const dir = join(work, `other-${warnings.length}-${Date.now()}`);
      const bad = join(work, 'bad.tar');
      await writeFile(bad, Buffer.concat([content(), Buffer.alloc(1024)]));
      const client = await PgliteSqlClient.open(dir, { template: bad });
      expect(await client.query('select 1 as one')).toEqual([{ one: 1 }]);
      await client.close();
      expect(warnings).toEqual([expect.stringContaining('creating the database instead')]);
      await expect(access(join(dir, 'PG_VERSION'))).resolves.toBeUndefined();
    },
    120_000,
  );
});

describe('readTar', () => {
  it('refuses an entry whose path leaves the folder', () => {
    const archive = Buffer.concat([tarFile('../escaped', Buffer.from('x')), Buffer.alloc(1024)]);
    expect(() => readTar(archive)).toThrow('outside its folder');
  });

  it('reads back what tarFile wrote', () => {
    const archive = Buffer.concat([tarFile('dir/file', Buffer.from('hello')), Buffer.alloc(1024)]);
    expect(readTar(archive).map(({ path, data }) => [path, Buffer.from(data).toString()])).toEqual([
      ['dir/file', 'hello'],
    ]);
  });
});
