import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { calculateJwkThumbprint } from 'jose';

import { parseAuthCoreOptions } from '../auth-core.options.schema.js';
import { FrozenClock } from '../testing/auth-core.setup.js';
import { InProcessKeySetBus } from './key-set.bus.js';
import { KeyStore } from './key-store.js';
import { MemoryKeySetStorage } from './key-set.storage.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes!';

describe('KeyStore', () => {
  let dataDir: string;
  const clock = new FrozenClock();

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-keys-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const create = (input: Parameters<typeof parseAuthCoreOptions>[0] = {}) =>
    KeyStore.create({ config: parseAuthCoreOptions({ dataDir, ...input }), clock });

  it('generates an ES256 key on first start, readable by the owner only, and reuses it on restart', async () => {
    const first = await create();
    const file = join(dataDir, 'keys.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o077).toBe(0);
    expect(first.signingKey().alg).toBe('ES256');
    expect((await create()).signingKey().kid).toBe(first.signingKey().kid);
  });

  it('agrees on one first key when several processes start on an empty data folder together', async () => {
    const stores = await Promise.all([create(), create(), create(), create()]);
    expect(new Set(stores.map((store) => store.signingKey().kid)).size).toBe(1);
    expect(JSON.parse(await readFile(join(dataDir, 'keys.json'), 'utf8')).keys).toHaveLength(1);
  });

  it('names each key by its RFC 7638 thumbprint', async () => {
    const store = await create();
    const [jwk] = store.toJwks().keys;
    expect(jwk?.kid).toBe(
      await calculateJwkThumbprint({ kty: jwk?.kty, crv: jwk?.crv, x: jwk?.x, y: jwk?.y }),
    );
  });

  it('publishes public keys only', async () => {
    const store = await create({ algorithm: 'RS256' });
    const [jwk] = store.toJwks().keys;
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: store.signingKey().kid });
    for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwk).not.toHaveProperty(privatePart);
    expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).toContain('"d"');
  });

  it('publishes nothing for HS256, whose key is the shared secret', async () => {
    const store = await create({ algorithm: 'HS256', secret: SECRET });
    expect(store.toJwks()).toEqual({ keys: [] });
    expect(store.managed).toBe(false);
  });

  it('uses a configured PEM or JWK key and refuses to rotate it', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const fromPem = await create({ privateKey: pem });
    const fromJwk = await create({ privateKey: JSON.stringify(privateKey.export({ format: 'jwk' })) });
    const file = join(dataDir, 'key.pem');
    await writeFile(file, pem, { mode: 0o600 });
    const fromFile = await create({ privateKeyFile: file });
    expect(new Set([fromPem, fromJwk, fromFile].map((store) => store.signingKey().kid)).size).toBe(1);
    await expect(fromPem.rotate()).rejects.toThrow('rotate them by deploying a new key');
  });

  it.each([
    [
      'a 1024-bit RSA key for RS256',
      'RS256',
      () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
      'at least 2048 bits',
    ],
    [
      'an EC key for RS256',
      'RS256',
      () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey,
      'must be an RSA key',
    ],
    [
      'a P-384 key for ES256',
      'ES256',
      () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey,
      'P-256',
    ],
    [
      'an RSA key for ES256',
      'ES256',
      () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      'P-256',
    ],
  ] as const)('refuses %s, naming the option and not the key', async (_case, algorithm, make, message) => {
    const pem = make().export({ type: 'pkcs8', format: 'pem' }) as string;
    const error: unknown = await create({ algorithm, privateKey: pem }).then(
      () => new Error('expected a refusal'),
      (caught: unknown) => caught,
    );
    const { message: text } = error as Error;
    expect(text).toContain('  - privateKey ');
    expect(text).toContain(message);
    expect(text).not.toContain(pem.split('\n')[1]);
  });

  it('refuses a public key where a private key is expected', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    await expect(create({ privateKey: pem as string })).rejects.toThrow('is not a readable private key');
  });

  it('says a key file cannot be read without saying what it holds', async () => {
    await expect(create({ privateKeyFile: join(dataDir, 'missing.pem') })).rejects.toThrow(
      'privateKeyFile cannot be read',
    );
  });

  it('drops a retired key from storage once its last token has expired', async () => {
    const storage = new MemoryKeySetStorage();
    const config = parseAuthCoreOptions({ dataDir, accessTokenTtl: 60, clockTolerance: 0 });
    const store = await KeyStore.create({ config, clock, storage });
    const first = store.signingKey().kid;
    await store.rotate();
    expect(store.verificationKey(first)).toBeDefined();
    clock.advance(60);
    expect(store.verificationKey(first)).toBeUndefined();
    await store.rotate();
    expect((await storage.load()).map((key) => key.kid)).not.toContain(first);
  });
});

describe('KeyStore across processes sharing a storage', () => {
  const SHAPED_LIKE_A_KID = 'A'.repeat(43);

  /** A storage that counts its reads and can be told to fail them. */
  class SpyStorage extends MemoryKeySetStorage {
    loads = 0;
    failing = false;
    override async load() {
      this.loads += 1;
      if (this.failing) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      return super.load();
    }
  }

  /** Waits for a background reload's effect, bounded, instead of sleeping. */
  async function until(done: () => boolean, deadline = Date.now() + 2_000): Promise<void> {
    while (!done()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const config = parseAuthCoreOptions({ dataDir: '/nonexistent', accessTokenTtl: 60, clockTolerance: 0 });
  const stores: KeyStore[] = [];
  const create = async (options: Partial<Parameters<typeof KeyStore.create>[0]>) => {
    const store = await KeyStore.create({ config, clock: new FrozenClock(), ...options });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('makes every process sign with a key rotated elsewhere once announced; the old key keeps verifying', async () => {
    const storage = new MemoryKeySetStorage();
    const bus = new InProcessKeySetBus();
    const [a, b] = [await create({ storage, bus }), await create({ storage, bus })];
    const old = a.signingKey().kid;
    expect(b.signingKey().kid).toBe(old);
    const fresh = await a.rotate();
    expect(a.signingKey().kid).toBe(fresh.kid);
    await until(() => b.signingKey().kid === fresh.kid);
    expect(b.verificationKey(old)?.retiredAt).toBeDefined();
    expect(b.toJwks()).toEqual(a.toJwks());
  });

  it('loses no key when two processes rotate at once: one new key signs, every other one verifies', async () => {
    const storage = new MemoryKeySetStorage();
    const [a, b] = [await create({ storage }), await create({ storage })];
    const first = a.signingKey().kid;
    const [x, y] = await Promise.all([a.rotate(), b.rotate()]);
    const stored = await storage.load();
    expect(stored.map((key) => key.kid).sort()).toEqual([first, x.kid, y.kid].sort());
    expect(stored.filter((key) => key.retiredAt === undefined)).toHaveLength(1);
  });

  it('refuses a token of an unknown kid at once, and reads the storage again in the background', async () => {
    const storage = new SpyStorage();
    const [a, b] = [await create({ storage }), await create({ storage })];
    const fresh = await a.rotate();
    expect(b.verificationKey(fresh.kid)).toBeUndefined();
    await until(() => b.signingKey().kid === fresh.kid);
    expect(b.verificationKey(fresh.kid)?.kid).toBe(fresh.kid);
  });

  it('reads the storage at most once a second for unknown kids, and never for kids not shaped like ours', async () => {
    const storage = new SpyStorage();
    const clock = new FrozenClock();
    const store = await create({ storage, clock });
    const before = storage.loads;
    for (let i = 0; i < 100; i += 1) store.verificationKey(`${i}`.padStart(43, 'x'));
    await until(() => storage.loads === before + 1);
    clock.advance(0.5);
    store.verificationKey(SHAPED_LIKE_A_KID);
    clock.advance(0.5);
    store.verificationKey(SHAPED_LIKE_A_KID);
    await until(() => storage.loads === before + 2);
    clock.advance(60);
    for (const kid of ['no-such-key', '../../etc/passwd', `${SHAPED_LIKE_A_KID}A`, ''])
      store.verificationKey(kid);
    await store.close();
    expect(storage.loads).toBe(before + 2);
  });

  it('re-reads the storage periodically, for a rotation whose announcement never came', async () => {
    const storage = new MemoryKeySetStorage();
    const a = await create({ storage });
    const b = await create({ storage, refreshInterval: 10 });
    const fresh = await a.rotate();
    await until(() => b.signingKey().kid === fresh.kid);
  });

  it('keeps signing with the keys it has when the storage fails or was emptied', async () => {
    const storage = new SpyStorage();
    const store = await create({ storage });
    const kid = store.signingKey().kid;
    storage.failing = true;
    await expect(store.reload()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    storage.failing = false;
    await storage.save([]);
    await expect(store.reload()).rejects.toThrow('the stored key set has no signing key');
    store.verificationKey(SHAPED_LIKE_A_KID);
    await store.close();
    expect(store.signingKey().kid).toBe(kid);
  });

  it('stops following announcements once closed', async () => {
    const storage = new SpyStorage();
    const bus = new InProcessKeySetBus();
    const [a, b] = [await create({ storage, bus }), await create({ storage, bus })];
    const old = b.signingKey().kid;
    await b.close();
    await a.rotate();
    await a.close();
    expect(b.signingKey().kid).toBe(old);
  });
});
