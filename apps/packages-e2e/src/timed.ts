/** Runs one step of the e2e and prints how long it took, so that a slow run shows where its minutes went. */
export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    process.stdout.write(`packages-e2e: ${step} took ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  }
}
