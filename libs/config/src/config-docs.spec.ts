import { readFile } from 'node:fs/promises';

import { IOAUTH_ENV } from './ioauth-env.js';

describe("README's configuration table", () => {
  it('documents every variable of the schema, and no other', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| `[A-Z_]+`/.test(line));
    const documented = new Set(
      rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z_]+)`/g)].map((m) => m[1])),
    );
    expect([...documented].sort()).toEqual(Object.keys(IOAUTH_ENV).sort());
  });
});
