import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

/** One figure of `bench/results/latest.json`: a measured value and its ratio to a baseline of the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The baseline's value, measured in the same run. */
  baseline: number;
  /** value / baseline: above 1 is faster for throughput. */
  ratio: number;
}

/** How long each timed slice runs, and how many slices each mode gets. */
export interface BenchPlan {
  sliceMs: number;
  runs: number;
}

export const DEFAULT_PLAN: BenchPlan = { sliceMs: 100, runs: 21 };

// Rates are per second of this process's CPU time, not of wall time: on a shared two-core VM, time stolen by other
// tenants would otherwise land on whichever mode happened to be running.
function opsPerCpuSecond(operation: () => unknown, sliceMs: number): number {
  let done = 0;
  let batch = 16;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < sliceMs) {
    for (let i = 0; i < batch; i += 1) operation();
    done += batch;
    elapsed = performance.now() - start;
    if (elapsed < sliceMs / 20) batch *= 2;
  }
  const cpu = process.cpuUsage(cpuStart);
  return (done * 1e6) / (cpu.user + cpu.system);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Throughput of each mode in operations per CPU second: the median of `runs` slices, with the modes interleaved slice
 * by slice so that drift of the machine (thermal, other load) falls on all of them alike.
 */
export function throughput(
  modes: Record<string, () => unknown>,
  plan: BenchPlan = DEFAULT_PLAN,
): Record<string, number> {
  const names = Object.keys(modes);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const operation of Object.values(modes)) opsPerCpuSecond(operation, plan.sliceMs / 2);
  for (let run = 0; run < plan.runs; run += 1) {
    // Rotate the order each run, and collect garbage before each slice (with --expose-gc), so that no mode pays
    // for the garbage of the one before it.
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(run + i) % names.length] as string;
      globalThis.gc?.();
      samples[name]?.push(opsPerCpuSecond(modes[name] as () => unknown, plan.sliceMs));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/** The machine a run was measured on, written beside its figures. */
export function machine() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
