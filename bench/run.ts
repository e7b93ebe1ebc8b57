import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_PLAN, machine, type BenchResult } from './harness.js';
import { loginBench } from './login.bench.js';
import { tokenBench } from './token.bench.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function versionOf(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

// `npm run bench -- --quick` runs short slices, to check the harness rather than to measure.
const plan = process.argv.includes('--quick') ? { sliceMs: 50, runs: 3 } : DEFAULT_PLAN;
const results: BenchResult[] = [...(await tokenBench(plan)), ...(await loginBench(plan))];

console.table(
  results.map(({ name, value, unit, baseline, ratio }) => ({ name, value, baseline, unit, ratio })),
);

const report = {
  date: new Date().toISOString(),
  machine: machine(),
  versions: Object.fromEntries(
    await Promise.all(
      ['@nestjs/jwt', 'jsonwebtoken', 'fast-jwt', 'jose', '@node-rs/argon2', '@electric-sql/pglite'].map(
        async (name) => [name, await versionOf(name)] as const,
      ),
    ),
  ),
  plan,
  results,
};
const file = join(root, 'bench', 'results', plan === DEFAULT_PLAN ? 'latest.json' : 'quick.json');
await mkdir(dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`written to ${file}`);
