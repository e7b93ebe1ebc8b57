import { readFile } from 'node:fs/promises';

import type { JWK } from 'jose';

import type { Clock } from '../clock.js';
import type { IoauthConfig } from '../config/ioauth-config.js';
import { ConfigError } from '../config/load-config.js';
import { FileKeySetStorage } from './file-key-set.storage.js';
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
    IoauthConfig,
    'algorithm' | 'secret' | 'privateKey' | 'privateKeyFile' | 'dataDir' | 'accessTokenTtl' | 'clockTolerance'
  >;
  clock: Clock;
  /** Where generated keys live; a file under `dataDir` unless given. */
  storage?: KeySetStorage;
}

/**
 * The signing key and every key that still verifies. Keys come from configuration (an HS256 secret or a private
 * key) or are managed: generated on first start, kept in a `KeySetStorage`, and rotated so that a retired key keeps
 * verifying until the last token it signed has expired.
 */
export class KeyStore {
  private keys: SigningKey[];
  private byKid: Map<string, SigningKey>;
  private jwks: { value: { keys: JWK[] }; staleAt: number } | undefined;

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
   * @throws ConfigError when a configured key is unreadable, of the wrong kind or too weak.
   */
  static async create(options: KeyStoreOptions): Promise<KeyStore> {
    const { config } = options;
    if (config.algorithm === 'HS256') {
      if (!config.secret)
        throw new ConfigError([{ field: 'secret', message: 'is required when IOAUTH_JWT_ALG=HS256' }]);
      return new KeyStore([await secretSigningKey(config.secret)], options, undefined);
    }
    if (config.privateKey !== undefined || config.privateKeyFile !== undefined) {
      return new KeyStore([await configuredKey(config)], options, undefined);
    }
    const storage = options.storage ?? new FileKeySetStorage(config.dataDir);
    const store = new KeyStore([], options, storage);
    await store.reload();
    await store.ensureSigningKey();
    return store;
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

  /** The key a token with this `kid` verifies with, if it is known and still verifies now. */
  verificationKey(kid: string): SigningKey | undefined {
    const key = this.byKid.get(kid);
    if (!key || (key.verifyUntil !== undefined && key.verifyUntil <= this.options.clock.now()))
      return undefined;
    return key;
  }

  /**
   * Makes a new key the signing key; the old one verifies until every token it signed has expired (its last token
   * may have been signed just now, so that is one access-token lifetime plus the clock tolerance).
   * @throws Error when keys come from configuration: rotate those by deploying a new key.
   */
  async rotate(): Promise<SigningKey> {
    const storage = this.requireStorage();
    const algorithm = this.algorithm;
    if (algorithm === 'HS256') throw new Error('HS256 keys come from configuration');
    await this.reload();
    const now = this.options.clock.now();
    const { accessTokenTtl, clockTolerance } = this.options.config;
    const retired = this.keys.map((key) =>
      key.retiredAt === undefined
        ? { ...key, retiredAt: now, verifyUntil: now + (accessTokenTtl + clockTolerance) * 1000 }
        : key,
    );
    const fresh = await generateSigningKey(algorithm, now);
    await storage.save([fresh, ...retired].map(toStored));
    this.replace([fresh, ...retired]);
    return fresh;
  }

  private async ensureSigningKey(): Promise<void> {
    const hasSigningKey = () => this.keys.some((key) => key.retiredAt === undefined);
    if (hasSigningKey()) return;
    if (this.keys.length === 0 && this.algorithm !== 'HS256') {
      const first = await generateSigningKey(this.algorithm, this.options.clock.now());
      if (await this.requireStorage().saveFirst([toStored(first)])) {
        this.replace([first]);
        return;
      }
      await this.reload();
      if (hasSigningKey()) return;
    }
    await this.rotate();
  }

  /** Reads the stored keys again, dropping those past their last verification time (after a rotation elsewhere). */
  async reload(): Promise<void> {
    const storage = this.requireStorage();
    const now = this.options.clock.now();
    const stored = (await storage.load()).filter((key) => key.alg === this.algorithm);
    const live = stored.filter((key) => key.verifyUntil === undefined || key.verifyUntil > now);
    const keys = await Promise.all(
      live.map((key) =>
        privateSigningKey(JSON.stringify(key.privateJwk), key.alg, {
          createdAt: key.createdAt,
          ...(key.retiredAt === undefined ? {} : { retiredAt: key.retiredAt }),
          ...(key.verifyUntil === undefined ? {} : { verifyUntil: key.verifyUntil }),
        }),
      ),
    );
    this.replace(keys);
  }

  /** The public keys that still verify, as a JWKS (RFC 7517 section 5); empty for HS256, whose key is secret. */
  toJwks(): { keys: JWK[] } {
    const now = this.options.clock.now();
    if (!this.jwks || now >= this.jwks.staleAt) {
      const live = this.keys.filter(
        (key) => key.alg !== 'HS256' && (key.verifyUntil === undefined || key.verifyUntil > now),
      );
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
  const field = config.privateKey !== undefined ? 'privateKey' : 'privateKeyFile';
  let text: string;
  try {
    text = config.privateKey ?? (await readFile(config.privateKeyFile as string, 'utf8'));
  } catch {
    throw new ConfigError([{ field, message: 'cannot be read' }]);
  }
  try {
    return await privateSigningKey(text, config.algorithm);
  } catch (error) {
    if (error instanceof KeyMaterialError) throw new ConfigError([{ field, message: error.message }]);
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
