import { throughput, type BenchPlan, type BenchResult } from './harness.js';
import { freshDatabase } from './postgres-database.js';

const LOGIN_TARGET = 0.833;

/**
 * Login throughput against the cost of one argon2id verification measured in the same run (the login path should
 * add at most 20% to it), and refresh-grant throughput (login.suite.ts). With `IOAUTH_BENCH_POSTGRES_URL` set to
 * a PostgreSQL server, the login on PostgreSQL too, in a database of its own there, dropped afterwards; that figure
 * counts the CPU of the ioauth process only, not the database server's.
 */
export async function loginBench(plan: BenchPlan): Promise<BenchResult[]> {
  const suite = new URL('./login.suite.ts', import.meta.url).href;
  const server = process.env['IOAUTH_BENCH_POSTGRES_URL'];
  const postgres = server ? await freshDatabase(server) : undefined;
  try {
    // The workers are forked with this environment.
    if (postgres) process.env['IOAUTH_BENCH_DATABASE_URL'] = postgres.url;
    const modes = postgres ? ['ioauth', 'argon2id', 'ioauth-postgres'] : ['ioauth', 'argon2id'];
    const logins = await throughput(suite, modes, ['login'], plan);
    const refreshes = await throughput(suite, ['ioauth'], ['refresh'], plan);
    const login = logins['login']?.['ioauth'] as number;
    const argon2 = logins['login']?.['argon2id'] as number;
    const refresh = refreshes['refresh']?.['ioauth'] as number;
    const results: BenchResult[] = [
      {
        name: 'login vs one argon2id verification',
        value: Number(login.toFixed(1)),
        unit: 'ops/s',
        baseline: Number(argon2.toFixed(1)),
        ratio: Number((login / argon2).toFixed(3)),
        // At most 20% more CPU than the verification alone: 1 / 1.2 of its throughput.
        target: `≥ ${LOGIN_TARGET}`,
        met: Number((login / argon2).toFixed(3)) >= LOGIN_TARGET,
      },
      {
        name: 'refresh grant vs login',
        value: Math.round(refresh),
        unit: 'ops/s',
        baseline: Number(login.toFixed(1)),
        ratio: Number((refresh / login).toFixed(3)),
      },
    ];
    const onPostgres = logins['login']?.['ioauth-postgres'];
    if (onPostgres !== undefined) {
      results.push({
        name: 'login on PostgreSQL vs one argon2id verification (ioauth process CPU only)',
        value: Number(onPostgres.toFixed(1)),
        unit: 'ops/s',
        baseline: Number(argon2.toFixed(1)),
        ratio: Number((onPostgres / argon2).toFixed(3)),
      });
    }
    return results;
  } finally {
    delete process.env['IOAUTH_BENCH_DATABASE_URL'];
    await postgres?.drop();
  }
}
