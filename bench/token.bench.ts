import { throughput, type BenchPlan, type BenchResult } from './harness.js';
import { ALGORITHMS } from './token.suite.js';

const BASELINES = ['jsonwebtoken', 'fast-jwt'] as const;

/**
 * Sign and verify throughput of `TokenService` against raw `jsonwebtoken` with the same `KeyObject` and against
 * `fast-jwt` without cache, per algorithm (token.suite.ts): verifying a token for the first time, and again.
 */
export async function tokenBench(plan: BenchPlan): Promise<BenchResult[]> {
  const operations = ALGORITHMS.flatMap((algorithm) => [
    `sign.${algorithm}`,
    `verify.${algorithm}`,
    `verify-again.${algorithm}`,
  ]);
  const figures = await throughput(
    new URL('./token.suite.ts', import.meta.url).href,
    ['ioauth', ...BASELINES],
    operations,
    plan,
  );
  return operations.flatMap((operation) =>
    BASELINES.map((baseline) => {
      const value = figures[operation]?.['ioauth'] as number;
      const reference = figures[operation]?.[baseline] as number;
      return {
        name: `token.${operation} vs ${baseline}`,
        value: Math.round(value),
        unit: 'ops/s',
        baseline: Math.round(reference),
        ratio: Number((value / reference).toFixed(3)),
      };
    }),
  );
}
