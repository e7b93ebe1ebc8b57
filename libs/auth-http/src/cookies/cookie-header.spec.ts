import { readCookie } from './cookie-header.js';

describe('readCookie', () => {
  it.each([
    ['the only cookie', 'ioauth_refresh=abc', 'abc'],
    ['one among others', 'theme=dark; ioauth_refresh=abc; lang=fr', 'abc'],
    ['the first of two, the more specific path', 'ioauth_refresh=first; ioauth_refresh=second', 'first'],
    ['spaces around the pair', '  ioauth_refresh = abc  ;x=1', 'abc'],
    ['a quoted value, unquoted', 'ioauth_refresh="abc"', 'abc'],
    ['an empty value', 'ioauth_refresh=', ''],
    ['a value holding =', 'ioauth_refresh=a=b', 'a=b'],
  ])('reads %s', (_case, header, value) => {
    expect(readCookie(header, 'ioauth_refresh')).toBe(value);
  });

  it.each([
    ['no header', undefined],
    ['a header that is not text', ['ioauth_refresh=abc']],
    ['other cookies only', 'theme=dark; lang=fr'],
    ['a name that only starts like it', 'ioauth_refresh_old=abc'],
    ['a name that only ends like it', 'x_ioauth_refresh=abc'],
    ['a pair without =', 'ioauth_refresh'],
    ['a header over 16 KiB', `ioauth_refresh=abc; pad=${'x'.repeat(16_384)}`],
  ])('finds nothing in %s', (_case, header) => {
    expect(readCookie(header, 'ioauth_refresh')).toBeUndefined();
  });
});
