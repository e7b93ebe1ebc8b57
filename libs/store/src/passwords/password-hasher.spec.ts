import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id at the OWASP parameters, and verifies only the right password', async () => {
    const stored = await hasher.hash('correct horse: battery staple ✓');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(stored, 'correct horse: battery staple ✓')).toBe(true);
    expect(await hasher.verify(stored, 'correct horse')).toBe(false);
  });

  it('answers false, not an error, for a hash it cannot read', async () => {
    expect(await hasher.verify('not-a-phc-string', 'anything')).toBe(false);
  });

  it('spends a verification for an unknown user and refuses', async () => {
    expect(await hasher.verifyNothing('guess')).toBe(false);
  });
});
