import type { JsonWebKey } from 'node:crypto';

import type { JwtAlgorithm } from '../auth-core.options.js';

/** A managed key as persisted: the private JWK and its life times. */
export interface StoredKey {
  kid: string;
  alg: JwtAlgorithm;
  privateJwk: JsonWebKey;
  createdAt: number;
  retiredAt?: number;
  verifyUntil?: number;
}

/** Where managed (generated and rotated) keys live; the file under `IOAUTH_DATA_DIR` by default. */
export interface KeySetStorage {
  /** The stored keys, or an empty list when none were ever saved. */
  load(): Promise<StoredKey[]>;
  /** Replaces the stored keys. */
  save(keys: StoredKey[]): Promise<void>;
  /**
   * Stores the first key set unless one exists already: false when another process sharing the storage got there
   * first, so that processes started together agree on one key.
   */
  saveFirst(keys: StoredKey[]): Promise<boolean>;
  /**
   * Replaces the stored keys with what `change` makes of them, and returns the result. A storage shared by several
   * processes runs this atomically (the SQL storage holds a row lock), so that two rotations at once lose no key.
   */
  update(change: (keys: StoredKey[]) => StoredKey[]): Promise<StoredKey[]>;
}

/** Keeps keys in memory: for tests and for processes that must not touch the disk. */
export class MemoryKeySetStorage implements KeySetStorage {
  private keys: StoredKey[] = [];

  async load(): Promise<StoredKey[]> {
    return structuredClone(this.keys);
  }

  async save(keys: StoredKey[]): Promise<void> {
    this.keys = structuredClone(keys);
  }

  async saveFirst(keys: StoredKey[]): Promise<boolean> {
    if (this.keys.length > 0) return false;
    await this.save(keys);
    return true;
  }

  async update(change: (keys: StoredKey[]) => StoredKey[]): Promise<StoredKey[]> {
    this.keys = structuredClone(change(structuredClone(this.keys)));
    return structuredClone(this.keys);
  }
}
