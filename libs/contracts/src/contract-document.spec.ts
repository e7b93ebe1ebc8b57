import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const published = fileURLToPath(new URL('../../../docs/contract.md', import.meta.url));
// The contract's source of truth sits beside the repository where ioauth is developed, never in a clone.
const source = fileURLToPath(new URL('../../../../shared/CONTRACT.md', import.meta.url));

describe('docs/contract.md', () => {
  it('is the wire contract the README links', () => {
    expect(readFileSync(published, 'utf8')).toMatch(/^# ioauth wire contract, v2\n/);
    expect(readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')).toContain(
      '(docs/contract.md)',
    );
  });

  // Only where the source exists: a clone has nothing to compare with, and that is no skipped check.
  if (existsSync(source))
    it('is kept equal to ../shared/CONTRACT.md', () => {
      expect(readFileSync(published, 'utf8')).toBe(readFileSync(source, 'utf8'));
    });
});
