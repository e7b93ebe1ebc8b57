import { hash, verify, type Algorithm } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet (argon2id): 19 MiB of memory, 2 iterations, 1 degree of parallelism.
// `Algorithm` is a const enum, which isolated modules cannot read at run time: 2 is its Argon2id.
const ARGON2ID = {
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hashes and checks passwords with argon2id; the hash is a self-describing PHC string. */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  /** Hashes a password for storage. */
  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID);
  }

  /** Whether a password matches a stored hash; false, never an error, for a hash it cannot read. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the time of one verification and answers false: for an unknown or disabled user, so that a login
   * takes as long whether or not the name exists (OWASP ASVS V2.2, no user enumeration by timing).
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('ioauth-dummy-password');
    await this.verify(await this.dummy, password);
    return false;
  }
}
