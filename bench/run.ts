import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { GATEWAY_PLAN, gatewayBench, QUICK_GATEWAY_PLAN } from './gateway.bench.js';
import { guardGrantsBench } from './guard-grants.bench.js';
import { DEFAULT_PLAN, machine, type BenchResult } from './harness.js';
import { loginBench } from './login.bench.js';
import { QUICK_STARTUP_PLAN, STARTUP_PLAN, startupBench } from './startup.bench.js';
import { tokenBench } from './token.bench.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function versionOf(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

// `npm run bench -- --quick` runs short slices, to check the harness rather than to measure.
const quick = process.argv.includes('--quick');
const plan = quick ? { sliceMs: 50, runs: 3 } : DEFAULT_PLAN;
const gatewayPlan = quick ? QUICK_GATEWAY_PLAN : GATEWAY_PLAN;
const startupPlan = quick ? QUICK_STARTUP_PLAN : STARTUP_PLAN;
const results: BenchResult[] = [
  ...(await tokenBench(plan)),
  ...(await loginBench(plan)),
  ...(await guardGrantsBench(plan)),
  ...(await gatewayBench(gatewayPlan)),
  ...(await startupBench(startupPlan)),
];

console.table(
  results.map(({ name, value, unit, baseline, ratio, target, met }) => ({
    name,
    value,
    baseline,
    unit,
    ratio,
    target: target ?? '',
    met: met === undefined ? '' : met ? 'yes' : 'NO',
  })),
);

const report = {
  date: new Date().toISOString(),
  machine: machine(),
  versions: Object.fromEntries(
    await Promise.all(
      [
        '@nestjs/jwt',
        'jsonwebtoken',
        'fast-jwt',
        'jose',
        '@node-rs/argon2',
        '@electric-sql/pglite',
        '@nestjs/core',
        '@nestjs/platform-socket.io',
        'socket.io',
        'socket.io-client',
        '@thream/socketio-jwt',
      ].map(async (name) => [name, await versionOf(name)] as const),
    ),
  ),
  plan,
  gatewayPlan,
  startupPlan,
  results,
};
const file = join(root, 'bench', 'results', plan === DEFAULT_PLAN ? 'latest.json' : 'quick.json');
await mkdir(dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`written to ${file}`);
