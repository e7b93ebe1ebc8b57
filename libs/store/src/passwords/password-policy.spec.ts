import { Test } from '@nestjs/testing';

import { IOAUTH_STORE_SETTINGS } from '../store.constants.js';

import { MAX_PASSWORD_BYTES, PasswordPolicy, WeakPasswordError } from './password-policy.js';

async function setup(passwordMinLength = 8): Promise<PasswordPolicy> {
  const module = await Test.createTestingModule({
    providers: [PasswordPolicy, { provide: IOAUTH_STORE_SETTINGS, useValue: { passwordMinLength } }],
  }).compile();
  return module.get(PasswordPolicy);
}

describe('PasswordPolicy', () => {
  it.each([
    ['one character', 'x', 'too_short'],
    ['seven characters', 'k7#qZp2', 'too_short'],
    ['seven non-ASCII characters of more than eight bytes', 'ünïcødé', 'too_short'],
    ['a common password', 'password1', 'too_common'],
    ['a common password in other case', 'IloveYou1', 'too_common'],
    ['a common eight-digit one', '12345678', 'too_common'],
    ['more than 1024 bytes', 'é'.repeat(MAX_PASSWORD_BYTES / 2 + 1), 'too_long'],
  ])('refuses %s', async (_case, password, reason) => {
    const policy = await setup();
    expect(policy.weakness(password)).toBe(reason);
    expect(() => policy.assertAcceptable(password)).toThrow(expect.objectContaining({ reason }));
  });

  it.each([
    ['eight uncommon characters', 'k7#qZp2!'],
    ['a passphrase with spaces', 'correct horse battery staple'],
    ['only lower-case letters, with no composition rule', 'plumfjordwhistle'],
    ['exactly 1024 bytes', 'a'.repeat(MAX_PASSWORD_BYTES)],
    ['the demo passwords', 'alice-password'],
  ])('accepts %s', async (_case, password) => {
    const policy = await setup();
    expect(policy.weakness(password)).toBeUndefined();
    expect(() => policy.assertAcceptable(password)).not.toThrow();
  });

  it('counts to the configured minimum length', async () => {
    const policy = await setup(12);
    expect(policy.weakness('k7#qZp2!x9')).toBe('too_short');
    expect(policy.weakness('k7#qZp2!x9Lm')).toBeUndefined();
  });

  it('names the rule in its message and never quotes the password', async () => {
    const policy = await setup();
    const cases: [string, RegExp][] = [
      ['hunter', /shorter than 8 characters/],
      ['password1', /most commonly used/],
      ['z'.repeat(2000), /longer than 1024 bytes/],
    ];
    for (const [password, message] of cases) {
      const error = (() => {
        try {
          policy.assertAcceptable(password);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(WeakPasswordError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(password);
    }
  });
});
