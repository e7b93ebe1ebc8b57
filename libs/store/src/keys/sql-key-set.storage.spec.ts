import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';

import { FileKeySetStorage, KeyStore, parseAuthCoreOptions, type StoredKey } from '@ioauth/auth-core';

import { migrate } from '../sql/migrations.js';
import type { SqlClient } from '../sql/sql-client.js';
import { testDatabases, type OpenTestDatabase } from '../testing/test-databases.js';
import { SqlKeySetStorage } from './sql-key-set.storage.js';

const databases = await testDatabases();
const T0 = Date.UTC(2026, 10, 24, 12);

const storedKey = (kid: string, extra: Partial<StoredKey> = {}): StoredKey => ({
  kid,
  alg: 'ES256',
  privateJwk: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }),
  createdAt: T0,
  ...extra,
});

describe.each(databases.map((database) => [database.name, database] as const))(
  'SqlKeySetStorage on %s',
  (_name, database) => {
    let db: OpenTestDatabase;
    let second: { client: SqlClient; close(): Promise<void> };
    let dataDir: string;

    beforeAll(async () => {
      db = await database.open();
      await migrate(db.client);
      second = await db.connect();
    }, 30_000);
    afterAll(async () => {
      await second?.close();
      await db?.drop();
    });
    beforeEach(async () => {
      await db.client.query('delete from ioauth_key_set');
      dataDir = await mkdtemp(join(tmpdir(), 'ioauth-sql-keys-'));
    });
    afterEach(() => rm(dataDir, { recursive: true, force: true }));

    it('holds no key set until one is saved, then returns it as saved, private JWK included', async () => {
      const storage = new SqlKeySetStorage(db.client);
      expect(await storage.load()).toEqual([]);
      const keys = [storedKey('new'), storedKey('old', { retiredAt: T0, verifyUntil: T0 + 905_000 })];
      expect(await storage.saveFirst(keys)).toBe(true);
      expect(await new SqlKeySetStorage(second.client).load()).toEqual(keys);
      await storage.save([keys[0] as StoredKey]);
      expect(await storage.load()).toEqual([keys[0]]);
    });

    it('lets exactly one of several processes starting together save the first key set', async () => {
      const contenders = [db.client, second.client, db.client, second.client].map((client, index) => ({
        storage: new SqlKeySetStorage(client),
        keys: [storedKey(`first-${index}`)],
      }));
      const won = await Promise.all(contenders.map(({ storage, keys }) => storage.saveFirst(keys)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = contenders[won.indexOf(true)]?.keys;
      expect(await new SqlKeySetStorage(db.client).load()).toEqual(winner);
    });

    it('loses no change when processes update the key set at once', async () => {
      await new SqlKeySetStorage(db.client).saveFirst([storedKey('first')]);
      const marker = storedKey('marker');
      await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          new SqlKeySetStorage(index % 2 ? db.client : second.client).update((keys) => [
            { ...marker, kid: `rotation-${index}` },
            ...keys,
          ]),
        ),
      );
      const kids = (await new SqlKeySetStorage(db.client).load()).map((key) => key.kid);
      expect(kids).toHaveLength(9);
      expect(kids.at(-1)).toBe('first');
    });

    it('imports the keys.json of an earlier install once, into a database without a key set, logging no key', async () => {
      const logged: unknown[] = [];
      for (const level of ['log', 'warn', 'error', 'debug'] as const)
        import.meta.jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
          logged.push(...args);
        });
      const legacy = [storedKey('from-file')];
      const file = new FileKeySetStorage(dataDir);
      await file.save(legacy);
      const storage = new SqlKeySetStorage(db.client, file);
      expect(await storage.load()).toEqual(legacy);
      expect(await new SqlKeySetStorage(second.client).load()).toEqual(legacy);
      expect(JSON.stringify(logged)).toContain('keys.json');
      expect(JSON.stringify(logged)).not.toContain(legacy[0]?.privateJwk.d);
      // The file is left as it was: the operator deletes it.
      expect(JSON.parse(await readFile(join(dataDir, 'keys.json'), 'utf8')).keys).toEqual(legacy);
    });

    it('leaves keys.json alone when the database holds a key set already', async () => {
      const inDatabase = [storedKey('in-database')];
      await new SqlKeySetStorage(db.client).saveFirst(inDatabase);
      const file = new FileKeySetStorage(dataDir);
      await file.save([storedKey('from-file')]);
      expect(await new SqlKeySetStorage(second.client, file).load()).toEqual(inDatabase);
    });

    describe('under KeyStore', () => {
      const config = parseAuthCoreOptions({ dataDir: '/nonexistent', accessTokenTtl: 60, clockTolerance: 0 });
      const clock = { now: () => T0 };
      const storeOn = (client: SqlClient) =>
        KeyStore.create({ config, clock, storage: new SqlKeySetStorage(client) });

      it('makes processes starting together agree on one key, and each follow a rotation made by another', async () => {
        const [a, b, c] = await Promise.all([storeOn(db.client), storeOn(second.client), storeOn(db.client)]);
        try {
          const first = a.signingKey().kid;
          expect([b.signingKey().kid, c.signingKey().kid]).toEqual([first, first]);
          const fresh = await a.rotate();
          await b.reload();
          expect(b.signingKey().kid).toBe(fresh.kid);
          expect(b.verificationKey(first)?.verifyUntil).toBe(T0 + 60_000);
          expect(b.toJwks()).toEqual(a.toJwks());
        } finally {
          await Promise.all([a.close(), b.close(), c.close()]);
        }
      });

      it('loses neither rotation when two processes rotate at once', async () => {
        const [a, b] = await Promise.all([storeOn(db.client), storeOn(second.client)]);
        try {
          const first = a.signingKey().kid;
          const [x, y] = await Promise.all([a.rotate(), b.rotate()]);
          const stored = await new SqlKeySetStorage(db.client).load();
          expect(stored.map((key) => key.kid).sort()).toEqual([first, x.kid, y.kid].sort());
          expect(stored.filter((key) => key.retiredAt === undefined)).toHaveLength(1);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });
    });
  },
);
