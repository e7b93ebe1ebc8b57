import { createSecretKey } from 'node:crypto';

import { VerifiedSignatures } from './verified-signatures.js';

describe('VerifiedSignatures', () => {
  const key = createSecretKey(Buffer.alloc(32, 1));

  it('answers only for the key that verified the token', () => {
    const verified = new VerifiedSignatures(10);
    verified.remember('a.b.c', key);
    expect(verified.verifiedBy('a.b.c', key)).toBe(true);
    expect(verified.verifiedBy('a.b.c', createSecretKey(Buffer.alloc(32, 1)))).toBe(false);
    expect(verified.verifiedBy('a.b.d', key)).toBe(false);
  });

  it('keeps at most its capacity, forgetting the oldest first', () => {
    const verified = new VerifiedSignatures(2);
    for (const token of ['t.1.s', 't.2.s', 't.3.s']) verified.remember(token, key);
    expect(['t.1.s', 't.2.s', 't.3.s'].map((token) => verified.verifiedBy(token, key))).toEqual([
      false,
      true,
      true,
    ]);
  });
});
