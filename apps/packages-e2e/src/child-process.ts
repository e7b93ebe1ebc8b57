import { spawn } from 'node:child_process';

/** How a command ended, with what it printed. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a shell that never saw this workspace: no `npm_*` variables of the outer `npm test` (npm would
 * read them as its configuration), no Jest worker id, no NODE_OPTIONS of this Jest.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^npm_/i.test(name) && name !== 'JEST_WORKER_ID' && name !== 'NODE_OPTIONS',
    ),
  );
  return { ...env, ...extra };
}

/** Runs a command to its end; one still running after `timeoutMs` is killed and the call rejects with its output. */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: Record<string, string> },
): Promise<Finished> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)),
  );
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(
      `${command} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000} s:\n${stdout}\n${stderr}`,
    );
  }
  return { code: outcome, stdout, stderr };
}
