import { performance } from 'node:perf_hooks';

import type { BenchSuite } from './harness.js';

// Runs one mode of a suite in this process: `node worker.ts <suite module> <mode>`, driven over IPC by harness.ts.

// Rates are per second of this process's CPU time, not of wall time: on a shared VM, time stolen by other tenants
// would otherwise land on whichever mode happened to be running.
async function opsPerCpuSecond(operation: () => unknown, sliceMs: number): Promise<number> {
  let done = 0;
  let batch = 16;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < sliceMs) {
    for (let i = 0; i < batch; i += 1) {
      // Asynchronous operations (a login: argon2id on the thread pool, then the database) run one after another.
      const pending = operation();
      if (pending instanceof Promise) await pending;
    }
    done += batch;
    elapsed = performance.now() - start;
    if (elapsed < sliceMs / 20) batch *= 2;
  }
  const cpu = process.cpuUsage(cpuStart);
  return (done * 1e6) / (cpu.user + cpu.system);
}

const [suitePath, mode] = process.argv.slice(2) as [string, string];
const send = (message: object) => process.send?.(message);

try {
  const suite = (await import(suitePath)) as BenchSuite;
  const operations = await suite.prepare(mode);
  process.on('message', ({ operation, sliceMs }: { operation: string; sliceMs: number }) => {
    const run = operations[operation];
    if (!run) send({ error: `${mode} has no operation ${operation}` });
    else void opsPerCpuSecond(run, sliceMs).then((rate) => send({ rate }));
  });
  send({ ready: Object.keys(operations) });
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
}
