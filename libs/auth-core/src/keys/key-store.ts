import { readFile } from 'node:fs/promises';

import { Logger } from '@nestjs/common';

import type { JWK } from 'jose';

import type { Clock } from '../clock.js';
import type { AuthCoreSettings } from '../auth-core.options.schema.js';
import { OptionsError } from '../options/options.error.js';
import { FileKeySetStorage } from './file-key-set.storage.js';
import type { KeySetBus } from './key-set.bus.js';
import type { KeySetStorage, StoredKey } from './key-set.storage.js';
import {
  generateSigningKey,
  KeyMaterialError,
  privateSigningKey,
  publicJwk,
  secretSigningKey,
  type SigningKey,
} from './signing-key.js';

/** What `KeyStore.create` needs. */
export interface KeyStoreOptions {
  config: Pick<
    AuthCoreSettings,
    'algorithm' | 'secret' | 'privateKey' | 'privateKeyFile' | 'dataDir' | 'accessTokenTtl' | 'clockTolerance'
  >;
  clock: Clock;
  /** Where generated keys live; a file under `dataDir` unless given. */
  storage?: KeySetStorage;
  /**
   * Carries rotations between the processes sharing `storage`: this store announces its own and reloads on
   * others'. Without it, a rotation elsewhere is seen at the next periodic or unknown-`kid` reload.
   */
  bus?: KeySetBus;
  /** How often to re-read the storage anyway, in ms, in case an announcement was missed; 0 (default) never. */
  refreshInterval?: number;
}

// A kid ioauth makes is an RFC 7638 thumbprint: SHA-256, base64url, 43 characters. Only a kid of that shape can name
// a key another process made since our last reload, so only such a kid may cost a reload.
const THUMBPRINT_KID = /^[A-Za-z0-9_-]{43}$/;

/** Least time between two reloads caused by tokens naming an unknown `kid`, in ms. */
export const UNKNOWN_KID_RELOAD_INTERVAL = 1_000;

const logger = new Logger('KeyStore');

const isLive = (key: { verifyUntil?: number }, now: number) =>
  key.verifyUntil === undefined || key.verifyUntil > now;

// What a failed reload may say in a log: the kind of error, never its message (which could quote stored data).
function errorKind(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'error';
}

/**
 * The signing key and every key that still verifies. Keys come from configuration (an HS256 secret or a private
 * key) or are managed: generated on first start, kept in a `KeySetStorage`, and rotated so that a retired key keeps
 * verifying until the last token it signed has expired. Processes sharing a storage follow each other's rotations:
 * announced on the `bus`, read again when a token names a `kid` not yet known, and re-read periodically.
 */
export class KeyStore {
  private keys: SigningKey[];
  private byKid: Map<string, SigningKey>;
  private jwks: { value: { keys: JWK[] }; staleAt: number } | undefined;
  // Reloads and rotations run one at a time, in order, so that a slow reload never puts back an older key set.
  private queue: Promise<unknown> = Promise.resolve();
  private background: Promise<void> | undefined;
  private backgroundAgain = false;
  private nextUnknownKidReload = 0;
  private stopListening: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  private constructor(
    keys: SigningKey[],
    private readonly options: KeyStoreOptions,
    private readonly storage: KeySetStorage | undefined,
  ) {
    this.keys = keys;
    this.byKid = new Map(keys.map((key) => [key.kid, key]));
  }

  /**
   * Builds the store from configuration, generating and saving a first key for a managed store.
   * @throws OptionsError when a configured key is unreadable, of the wrong kind or too weak.
   */
  static async create(options: KeyStoreOptions): Promise<KeyStore> {
    const { config } = options;
    if (config.algorithm === 'HS256') {
      if (!config.secret)
        throw new OptionsError('AuthCoreModule', [
          { option: 'secret', message: 'is required when `algorithm`=HS256' },
        ]);
      return new KeyStore([await secretSigningKey(config.secret)], options, undefined);
    }
    if (!KeyStore.managesKeys(config)) {
      return new KeyStore([await configuredKey(config)], options, undefined);
    }
    const storage = options.storage ?? new FileKeySetStorage(config.dataDir);
    const store = new KeyStore([], options, storage);
    // Listening before the first read: a rotation announced meanwhile is read again after it, not missed.
    store.follow();
    try {
      await store.serial(async () => store.apply(await storage.load()));
      await store.ensureSigningKey();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Whether a configuration makes a managed store: generated ES256 or RS256 keys, kept in a storage. */
  static managesKeys(config: Pick<AuthCoreSettings, 'algorithm' | 'privateKey' | 'privateKeyFile'>): boolean {
    return (
      config.algorithm !== 'HS256' && config.privateKey === undefined && config.privateKeyFile === undefined
    );
  }

  /** The algorithm every key of this store uses. */
  get algorithm(): SigningKey['alg'] {
    return this.options.config.algorithm;
  }

  /** Whether keys are generated and can be rotated (as opposed to coming from configuration). */
  get managed(): boolean {
    return this.storage !== undefined;
  }

  /** The key new tokens are signed with. */
  signingKey(): SigningKey {
    const key = this.keys.find((candidate) => candidate.retiredAt === undefined);
    if (!key) throw new Error('the key store has no signing key');
    return key;
  }

  /**
   * The key a token with this `kid` verifies with, if it is known and still verifies now. Never waits: an unknown
   * `kid` is refused at once, and may start a reload in the background (see `reloadForUnknownKid`).
   */
  verificationKey(kid: string): SigningKey | undefined {
    const key = this.byKid.get(kid);
    if (!key) {
      this.reloadForUnknownKid(kid);
      return undefined;
    }
    if (!isLive(key, this.options.clock.now())) return undefined;
    return key;
  }

  /**
   * Makes a new key the signing key; the old one verifies until every token it signed has expired (its last token
   * may have been signed just now, so that is one access-token lifetime plus the clock tolerance). The change is
   * made atomically in the storage, then announced on the bus so that every process signs with the new key.
   * @throws Error when keys come from configuration: rotate those by deploying a new key.
   */
  async rotate(): Promise<SigningKey> {
    const storage = this.requireStorage();
    const algorithm = this.algorithm;
    if (algorithm === 'HS256') throw new Error('HS256 keys come from configuration');
    const fresh = await generateSigningKey(algorithm, this.options.clock.now());
    await this.serial(async () => {
      const now = this.options.clock.now();
      const { accessTokenTtl, clockTolerance } = this.options.config;
      const verifyUntil = now + (accessTokenTtl + clockTolerance) * 1000;
      const stored = await storage.update((keys) => [
        toStored(fresh),
        ...keys
          .filter((key) => key.alg === algorithm && isLive(key, now))
          .map((key) => (key.retiredAt === undefined ? { ...key, retiredAt: now, verifyUntil } : key)),
      ]);
      await this.apply(stored);
    });
    await this.announce(fresh.kid);
    return fresh;
  }

  /**
   * Reads the stored keys again, dropping those past their last verification time (after a rotation elsewhere). A
   * stored set without a signing key for this algorithm is refused, and the keys in memory are kept.
   * @throws Error when the storage cannot be read or holds no signing key.
   */
  async reload(): Promise<void> {
    const storage = this.requireStorage();
    await this.serial(async () => {
      const now = this.options.clock.now();
      const stored = await storage.load();
      // An emptied storage (keys.json deleted, a table truncated) must not stop this process from signing.
      if (
        !stored.some((key) => key.alg === this.algorithm && key.retiredAt === undefined && isLive(key, now))
      )
        throw new Error('the stored key set has no signing key');
      await this.apply(stored);
    });
  }

  /**
   * Stops following changes made elsewhere (bus, periodic reload) and waits for a reload under way; the keys loaded
   * keep working.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening?.();
    clearInterval(this.timer);
    await this.background;
  }

  private async ensureSigningKey(): Promise<void> {
    const hasSigningKey = () => this.keys.some((key) => key.retiredAt === undefined);
    if (hasSigningKey()) return;
    const storage = this.requireStorage();
    if (this.keys.length === 0 && this.algorithm !== 'HS256') {
      const first = await generateSigningKey(this.algorithm, this.options.clock.now());
      if (await storage.saveFirst([toStored(first)])) {
        this.replace([first]);
        return;
      }
      // Another process got there first: use its key.
      await this.serial(async () => this.apply(await storage.load()));
      if (hasSigningKey()) return;
    }
    await this.rotate();
  }

  // Subscribes to rotations announced by other processes and starts the periodic reload.
  private follow(): void {
    const { bus, refreshInterval = 0 } = this.options;
    this.stopListening = bus?.subscribe((change) => {
      // Our own announcement, or a rotation already seen (a later one retired that key): nothing new to read.
      if (!this.byKid.has(change.kid)) this.reloadInBackground();
    });
    if (refreshInterval > 0) {
      this.timer = setInterval(() => this.reloadInBackground(), refreshInterval);
      this.timer.unref();
    }
  }

  // A token may name a key another process made after our last reload, before its announcement reaches us (or when
  // the announcement was lost). Verification is synchronous and never waits on I/O: the token is refused, and a
  // reload in the background lets the next one through. At most one such reload a second, and only for kids shaped
  // like ours, so that a flood of forged kids costs the storage one read a second at most (OWASP ASVS V11.1.4).
  private reloadForUnknownKid(kid: string): void {
    if (!this.storage || !THUMBPRINT_KID.test(kid)) return;
    const now = this.options.clock.now();
    if (now < this.nextUnknownKidReload) return;
    this.nextUnknownKidReload = now + UNKNOWN_KID_RELOAD_INTERVAL;
    this.reloadInBackground();
  }

  // One background reload at a time; a request made while one runs gets one more pass after it, since that one may
  // have read the storage before the change it was asked for.
  private reloadInBackground(): void {
    if (this.closed) return;
    if (this.background) {
      this.backgroundAgain = true;
      return;
    }
    this.background = (async () => {
      do {
        this.backgroundAgain = false;
        await this.reload();
      } while (this.backgroundAgain && !this.closed);
    })()
      .catch((error: unknown) => {
        if (!this.closed)
          logger.warn(`could not reload the key set (${errorKind(error)}); keeping the keys already loaded`);
      })
      .finally(() => {
        this.background = undefined;
      });
  }

  private async announce(kid: string): Promise<void> {
    if (!this.options.bus) return;
    try {
      await this.options.bus.publish({ kid });
    } catch (error) {
      logger.warn(
        `the new key is saved but could not be announced (${errorKind(error)}); ` +
          'other processes switch to it at their next reload',
      );
    }
  }

  // Parses the stored keys of this store's algorithm that still verify and makes them the keys in memory.
  private async apply(stored: StoredKey[]): Promise<void> {
    const now = this.options.clock.now();
    const live = stored.filter((key) => key.alg === this.algorithm && isLive(key, now));
    const keys = await Promise.all(
      live.map((key) =>
        privateSigningKey(JSON.stringify(key.privateJwk), key.alg, {
          createdAt: key.createdAt,
          ...(key.retiredAt === undefined ? {} : { retiredAt: key.retiredAt }),
          ...(key.verifyUntil === undefined ? {} : { verifyUntil: key.verifyUntil }),
        }),
      ),
    );
    const before = this.keys.find((key) => key.retiredAt === undefined)?.kid;
    this.replace(keys);
    const after = this.keys.find((key) => key.retiredAt === undefined)?.kid;
    if (before !== undefined && after !== undefined && after !== before)
      logger.log(`signing with a new key, ${after}`);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The public keys that still verify, as a JWKS (RFC 7517 section 5); empty for HS256, whose key is secret. */
  toJwks(): { keys: JWK[] } {
    const now = this.options.clock.now();
    if (!this.jwks || now >= this.jwks.staleAt) {
      const live = this.keys.filter((key) => key.alg !== 'HS256' && isLive(key, now));
      this.jwks = {
        value: { keys: live.map(publicJwk) },
        staleAt: Math.min(...live.map((key) => key.verifyUntil ?? Number.POSITIVE_INFINITY)),
      };
    }
    return this.jwks.value;
  }

  private replace(keys: SigningKey[]): void {
    this.keys = keys;
    this.byKid = new Map(keys.map((key) => [key.kid, key]));
    this.jwks = undefined;
  }

  private requireStorage(): KeySetStorage {
    if (!this.storage) throw new Error('keys come from configuration: rotate them by deploying a new key');
    return this.storage;
  }
}

async function configuredKey(config: KeyStoreOptions['config']): Promise<SigningKey> {
  const option = config.privateKey !== undefined ? 'privateKey' : 'privateKeyFile';
  let text: string;
  try {
    text = config.privateKey ?? (await readFile(config.privateKeyFile as string, 'utf8'));
  } catch {
    throw new OptionsError('AuthCoreModule', [{ option, message: 'cannot be read' }]);
  }
  try {
    return await privateSigningKey(text, config.algorithm);
  } catch (error) {
    if (error instanceof KeyMaterialError)
      throw new OptionsError('AuthCoreModule', [{ option, message: error.message }]);
    throw error;
  }
}

function toStored(key: SigningKey): StoredKey {
  return {
    kid: key.kid,
    alg: key.alg,
    privateJwk: key.privateKey.export({ format: 'jwk' }),
    createdAt: key.createdAt,
    ...(key.retiredAt === undefined ? {} : { retiredAt: key.retiredAt }),
    ...(key.verifyUntil === undefined ? {} : { verifyUntil: key.verifyUntil }),
  };
}
