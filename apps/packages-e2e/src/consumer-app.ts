import { spawn } from 'node:child_process';

import { cleanEnv } from './child-process.js';

/** The consumer's compiled Nest app, running. */
export interface ConsumerApp {
  url: string;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` in the consumer folder and resolves once it prints `serving on <url>`; rejects with
 * its output if it exits first or is not listening within `timeoutMs`.
 */
export async function startConsumerApp(
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ConsumerApp> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd,
    env: cleanEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then(() => reject(new Error(`the consumer app exited before listening:\n${text}`)));
      timer = setTimeout(
        () => reject(new Error(`the consumer app was not listening within ${timeoutMs / 1000} s:\n${text}`)),
        timeoutMs,
      );
    });
    return { url, output: () => text, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
