import { parseBasicAuthorization } from './basic-credentials.js';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('splits at the first colon only, so a password may hold colons', () => {
    expect(parseBasicAuthorization(basic('alice:pass:with:colons'))).toEqual({
      username: 'alice',
      password: 'pass:with:colons',
    });
  });

  it('reads UTF-8 and accepts the scheme in any case', () => {
    expect(parseBasicAuthorization(basic('émile:mot-de-passe-é').replace('Basic', 'bAsIc'))).toEqual({
      username: 'émile',
      password: 'mot-de-passe-é',
    });
  });

  it.each([
    ['no header', undefined],
    ['a number', 42],
    ['another scheme', 'Bearer abc.def.ghi'],
    ['no credentials', 'Basic'],
    ['bad base64', 'Basic !!!!'],
    ['base64 of bad length', 'Basic YWxpY2U6cGF'],
    ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['no colon', basic('alicepassword')],
    ['an empty username', basic(':password')],
    ['an empty password', basic('alice:')],
    ['a password over 1024 bytes', basic(`alice:${'p'.repeat(1025)}`)],
    ['a huge header', `Basic ${'A'.repeat(4096)}`],
  ])('refuses %s', (_case, header) => {
    expect(parseBasicAuthorization(header)).toBeUndefined();
  });
});
