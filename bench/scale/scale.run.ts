import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { machine, type BenchResult } from '../harness.js';
import { log, ScaleContext, step } from './scale.context.js';
import { clusterBench, holdBench } from './scale.hold.js';
import { SCALE_PLAN, SMALL_SCALE_PLAN, type ScalePlan } from './scale.plan.js';
import { revocationFanOutBench } from './scale.revocation.js';
import { expiryStormBench, reconnectStormBench } from './scale.storms.js';

// `npm run bench:scale` (issue 15): holds, storms, fan-out and a cluster at 10,000 to 100,000 sockets, each figure
// against bare socket.io or the Nest app without ioauth measured in the same run. `-- --small` runs every step at
// a few hundred sockets: CI's check that the harness works, not a measurement.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const small = process.argv.includes('--small');
const plan: ScalePlan = small ? SMALL_SCALE_PLAN : SCALE_PLAN;

/** The soft limit on open files of this process, which the load and gateway processes inherit. */
async function openFileLimit(): Promise<number> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const line = limits.split('\n').find((row) => row.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

// Sockets a process holds, plus what Node, Redis and PostgreSQL connections and the IPC channel take.
const HEADROOM = 300;

function checkLimits(limit: number): void {
  const needs = Math.max(
    plan.hold.sockets,
    Math.ceil(plan.hold.sockets / plan.hold.loads),
    Math.ceil(plan.cluster.sockets / plan.cluster.gateways),
    Math.ceil(plan.cluster.sockets / plan.cluster.loads),
    plan.reconnect.sockets,
    plan.expiry.sockets,
  );
  if (needs + HEADROOM > limit)
    throw new Error(
      `bench:scale needs ${needs + HEADROOM} open files per process and this shell allows ${limit}: ` +
        'raise it with `ulimit -n` (npm run bench:scale raises the soft limit to the hard one)',
    );
}

const redisUrl = process.env['IOAUTH_BENCH_REDIS_URL'];
if (!redisUrl) {
  console.error(
    'bench:scale needs Redis for its cluster steps: set IOAUTH_BENCH_REDIS_URL (redis://127.0.0.1:6379)',
  );
  process.exit(2);
}
const openFiles = await openFileLimit();
checkLimits(openFiles);
const ctx = await ScaleContext.create(plan, redisUrl, process.env['IOAUTH_BENCH_POSTGRES_URL']);
log(`plan: ${small ? 'small' : 'full'}, open files per process: ${openFiles}`);
const STEPS: Record<string, (ctx: ScaleContext) => Promise<void>> = {
  hold: holdBench,
  reconnect: reconnectStormBench,
  expiry: expiryStormBench,
  revocation: revocationFanOutBench,
  cluster: clusterBench,
};
// `-- --only=reconnect,expiry` runs those steps alone; the report then holds only their figures.
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const unknown = only?.filter((name) => !(name in STEPS)) ?? [];
if (unknown.length > 0) {
  console.error(`bench:scale: no step ${unknown.join(', ')}; the steps are ${Object.keys(STEPS).join(', ')}`);
  process.exit(2);
}
const started = Date.now();
// A partial run (`--only`) never replaces the full report.
const file = join(root, 'bench', 'results', small || only ? 'scale-small.json' : 'scale.json');

// Written after every step, so that a run stopped or failed halfway keeps what the steps before it measured.
async function writeReport(): Promise<void> {
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    openFilesPerProcess: openFiles,
    plan,
    minutes: Math.round((Date.now() - started) / 6000) / 10,
    results: ctx.results,
    facts: ctx.facts,
    checks: ctx.checks,
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

for (const [name, run] of Object.entries(STEPS)) {
  if (only && !only.includes(name)) continue;
  // A step that fails is a failed check of the run; the steps after it still run.
  try {
    await step(name, () => run(ctx));
  } catch (error) {
    ctx.check(`${name}: ran to completion`, false, error instanceof Error ? error.message : String(error));
  }
  await writeReport();
}

console.table(
  ctx.results.map(({ name, value, unit, baseline, ratio }: BenchResult) => ({
    name,
    value,
    baseline,
    unit,
    ratio,
  })),
);
const failed = ctx.checks.filter((check) => !check.ok);
console.log(`written to ${file}`);
if (failed.length > 0) {
  console.error(
    `bench:scale: ${failed.length} check(s) failed: ${failed.map((check) => check.name).join('; ')}`,
  );
  process.exit(1);
}
// Servers and load processes are gone; a Redis or database handle of the parent must not keep it alive.
process.exit(0);
