import { readFileSync } from 'node:fs';

import { cliVersion } from './version.js';

describe('cliVersion', () => {
  it('is the version of the repository, from the sources as from the compiled app', () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(cliVersion()).toBe(root.version);
    // dist/apps/cli/main.js is as deep below the repository as apps/cli/src/version.ts.
    expect(cliVersion(new URL('../../../dist/apps/cli/', import.meta.url).pathname)).toBe(root.version);
  });
});
