import { normalizeUsername } from './username.js';

describe('normalizeUsername', () => {
  it.each([
    ['Alice', 'alice'],
    ['ALICE', 'alice'],
    ['e\u0301mile', '\u00e9mile'],
    ['\u00c9mile', '\u00e9mile'],
  ])('normalises %j to %j', (raw, expected) => {
    expect(normalizeUsername(raw)).toBe(expected);
  });

  it.each([[''], ['a:b'], ['tab\there'], ['nul\u0000'], ['x'.repeat(129)]])('refuses %j', (raw) => {
    expect(normalizeUsername(raw)).toBeUndefined();
  });
});
