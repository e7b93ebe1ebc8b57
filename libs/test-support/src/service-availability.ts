/**
 * Runs `probe` against a service tests need. Under `CI=true` a failure is an error, so that CI can never pass by
 * skipping; elsewhere the caller skips its cases, and the reason is printed.
 */
export async function serviceAvailable(
  name: string,
  where: string,
  probe: () => Promise<void>,
): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    if (process.env['CI'] === 'true') {
      throw new Error(`${name} is required under CI=true and did not answer at ${where}: ${problem}`, {
        cause: error,
      });
    }
    console.warn(`skipping the ${name} cases: no server at ${where} (${problem})`);
    return false;
  }
}
