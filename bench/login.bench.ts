import { throughput, type BenchPlan, type BenchResult } from './harness.js';

/**
 * Login throughput against the cost of one argon2id verification measured in the same run (the login path should
 * add at most 20% to it), and refresh-grant throughput (login.suite.ts).
 */
export async function loginBench(plan: BenchPlan): Promise<BenchResult[]> {
  const suite = new URL('./login.suite.ts', import.meta.url).href;
  const logins = await throughput(suite, ['ioauth', 'argon2id'], ['login'], plan);
  const refreshes = await throughput(suite, ['ioauth'], ['refresh'], plan);
  const login = logins['login']?.['ioauth'] as number;
  const argon2 = logins['login']?.['argon2id'] as number;
  const refresh = refreshes['refresh']?.['ioauth'] as number;
  return [
    {
      name: 'login vs one argon2id verification',
      value: Number(login.toFixed(1)),
      unit: 'ops/s',
      baseline: Number(argon2.toFixed(1)),
      ratio: Number((login / argon2).toFixed(3)),
    },
    {
      name: 'refresh grant vs login',
      value: Math.round(refresh),
      unit: 'ops/s',
      baseline: Number(login.toFixed(1)),
      ratio: Number((refresh / login).toFixed(3)),
    },
  ];
}
