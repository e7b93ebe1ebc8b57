import { fork, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** One figure of `bench/results/latest.json`: a measured value and its ratio to a baseline of the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The baseline's value, measured in the same run. */
  baseline: number;
  /**
   * value / baseline: above 1 is faster for throughput, and costlier for a cost (CPU, bytes, time per operation). The
   * gateway figures give the median of the per-run ratios instead (gateway.bench.ts `compare`).
   */
  ratio: number;
  /** The bound the ratio is held to, such as `≤ 1.10`, when the issue sets one. */
  target?: string;
  /** Whether the ratio is within `target`. */
  met?: boolean;
}

/** How long each timed slice runs, and how many slices each mode gets. */
export interface BenchPlan {
  sliceMs: number;
  runs: number;
}

export const DEFAULT_PLAN: BenchPlan = { sliceMs: 100, runs: 31 };

/** A suite module, run inside a worker: prepares each named operation of one mode (one library). */
export interface BenchSuite {
  prepare(mode: string): Promise<Record<string, () => unknown>>;
}

type WorkerReply = { ready: string[] } | { rate: number } | { error: string };

/** One mode in its own process, so that its JIT feedback and garbage never touch another mode's figures. */
class ModeWorker {
  private readonly child: ChildProcess;
  private readonly replies: WorkerReply[] = [];
  private waiting: ((reply: WorkerReply) => void) | undefined;

  constructor(suite: string, mode: string) {
    this.child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [suite, mode], {
      execArgv: [...process.execArgv],
    });
    this.child.on('message', (reply: WorkerReply) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(reply);
      } else {
        this.replies.push(reply);
      }
    });
  }

  async next(): Promise<WorkerReply> {
    const queued = this.replies.shift();
    if (queued) return queued;
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  async ready(): Promise<void> {
    const reply = await this.next();
    if ('error' in reply) throw new Error(reply.error);
  }

  async slice(operation: string, sliceMs: number): Promise<number> {
    this.child.send({ operation, sliceMs });
    const reply = await this.next();
    if ('error' in reply) throw new Error(reply.error);
    if (!('rate' in reply)) throw new Error('unexpected worker reply');
    return reply.rate;
  }

  stop(): void {
    this.child.kill();
  }
}

/** The middle value of a sample (the upper one of an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The value below which `p` percent of a sample lies (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p === 50 ? Math.floor(sorted.length / 2) : Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/**
 * Measures every mode `runs` times, one mode at a time, in an order that rotates each run so that no mode always
 * follows the same one, after a warm-up round (run -1) whose figures are dropped, unless `warmUp` is false. For
 * benches whose modes are measured from outside their processes (gateway.bench.ts), where `throughput` measures
 * inside them.
 */
export async function interleaved<T>(
  modes: readonly string[],
  runs: number,
  measure: (mode: string, run: number) => Promise<T>,
  { warmUp = true }: { warmUp?: boolean } = {},
): Promise<Map<string, T[]>> {
  const samples = new Map(modes.map((mode) => [mode, [] as T[]]));
  if (warmUp) for (const mode of modes) await measure(mode, -1);
  for (let run = 0; run < runs; run += 1) {
    for (let i = 0; i < modes.length; i += 1) {
      const mode = modes[(run + i) % modes.length] as string;
      samples.get(mode)?.push(await measure(mode, run));
    }
  }
  return samples;
}

/**
 * Throughput, in operations per CPU second, of each operation of a suite under each mode. Every mode runs in its
 * own process (one library per process, as in production); only one process works at a time; the modes are
 * interleaved slice by slice in an order that rotates each run, and the median slice is kept.
 */
export async function throughput(
  suite: string,
  modes: readonly string[],
  operations: readonly string[],
  plan: BenchPlan = DEFAULT_PLAN,
): Promise<Record<string, Record<string, number>>> {
  const workers = new Map(modes.map((mode) => [mode, new ModeWorker(suite, mode)]));
  try {
    for (const worker of workers.values()) await worker.ready();
    const figures: Record<string, Record<string, number>> = {};
    for (const operation of operations) {
      const samples = new Map(modes.map((mode) => [mode, [] as number[]]));
      for (const mode of modes) await workers.get(mode)?.slice(operation, plan.sliceMs * 2);
      for (let run = 0; run < plan.runs; run += 1) {
        for (let i = 0; i < modes.length; i += 1) {
          const mode = modes[(run + i) % modes.length] as string;
          samples.get(mode)?.push((await workers.get(mode)?.slice(operation, plan.sliceMs)) as number);
        }
      }
      figures[operation] = Object.fromEntries([...samples].map(([mode, values]) => [mode, median(values)]));
    }
    return figures;
  } finally {
    for (const worker of workers.values()) worker.stop();
  }
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

/** Rounds to `digits` decimals, for the figures of a report. */
export const round = (value: number, digits = 0) => Number(value.toFixed(digits));

export type Target = { max?: number; min?: number };

/** One result: `value` against `baseline`, with the ratio (given, or value / baseline) held to `target`. */
export function figure(
  name: string,
  unit: string,
  value: number,
  baseline: number,
  { target, digits = 0, ratio = value / baseline }: { target?: Target; digits?: number; ratio?: number } = {},
): BenchResult {
  const rounded = round(ratio, 3);
  const result: BenchResult = {
    name,
    value: round(value, digits),
    unit,
    baseline: round(baseline, digits),
    ratio: rounded,
  };
  if (target?.max !== undefined) return { ...result, target: `≤ ${target.max}`, met: rounded <= target.max };
  if (target?.min !== undefined) return { ...result, target: `≥ ${target.min}`, met: rounded >= target.min };
  return result;
}
