import { performance } from 'node:perf_hooks';

import { figure, interleaved, median, type BenchPlan, type BenchResult } from './harness.js';
import { EVENTS_PER_OPERATION, OTHER_USERS, prepare } from './guard-grants.suite.js';

// Issue 14: the grant-change check costs the per-event path at most 5% more than today's guard.
const TARGET = 1.05;
const MODES = ['grants', 'empty'] as const;

/** CPU nanoseconds per guarded event over one slice. */
function nsPerEvent(operation: () => unknown, sliceMs: number): number {
  let operations = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - start < sliceMs) {
    for (let i = 0; i < 64; i += 1) operation();
    operations += 64;
  }
  const cpu = process.cpuUsage(cpuStart);
  return ((cpu.user + cpu.system) * 1000) / (operations * EVENTS_PER_OPERATION);
}

/**
 * The cost of grants that change live on the per-event path: `WsJwtGuard` per event with a revocation list holding
 * grants records for 10,000 other users and one for the socket's own (already narrowed by the lifecycle), against
 * the same guard with an empty list (guard-grants.suite.ts). Unlike the worker benches, both lists live in this one
 * process, so that one compiled guard serves both and only the list differs (in two processes, their JIT luck
 * alone moved the ratio by 5%); the slices are interleaved and the figure is the median of the per-run ratios.
 */
export async function guardGrantsBench(plan: BenchPlan): Promise<BenchResult[]> {
  const operations = new Map(
    await Promise.all(MODES.map(async (mode) => [mode, (await prepare(mode))['event']] as const)),
  );
  const samples = await interleaved(MODES, plan.runs, async (mode) =>
    nsPerEvent(operations.get(mode as (typeof MODES)[number]) as () => unknown, plan.sliceMs),
  );
  const [grants, empty] = MODES.map((mode) => samples.get(mode) as number[]) as [number[], number[]];
  const ratios = grants.map((value, run) => value / (empty[run] as number));
  return [
    figure(
      `gateway.event WsJwtGuard with grants records of ${OTHER_USERS.toLocaleString('en')} other users and the socket's own vs an empty revocation list: CPU`,
      'ns/event',
      median(grants),
      median(empty),
      { target: { max: TARGET }, digits: 1, ratio: median(ratios) },
    ),
  ];
}
