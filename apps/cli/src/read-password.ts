import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

import { CliError } from './cli.error.js';

/**
 * Reads a new password from standard input, never from the command line (where it would land in the shell history
 * and the process list): piped, the whole input less one trailing newline; on a terminal, typed twice, unechoed.
 */
export async function readPassword(): Promise<string> {
  const password = process.stdin.isTTY ? await prompt() : await piped();
  // The password policy judges the rest, once the configuration (its minimum length) is read.
  if (password.length === 0) throw new CliError('invalid_request', 'the password is empty');
  return password;
}

// Far beyond the policy's 1024 bytes, so that the policy says why a long password is refused; an input larger than
// this is no password (a file piped by mistake), and is neither held in memory nor sent to a server.
const MAX_INPUT_BYTES = 64 * 1024;

async function piped(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_INPUT_BYTES)
      throw new CliError(
        'invalid_request',
        `standard input holds more than ${MAX_INPUT_BYTES} bytes: not a password`,
      );
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function prompt(): Promise<string> {
  const first = await ask('Password: ');
  const second = await ask('Again: ');
  if (first !== second) throw new CliError('invalid_request', 'the passwords differ');
  return first;
}

function ask(question: string): Promise<string> {
  let muted = false;
  const output: Pick<Writable, 'write'> = {
    write: (chunk: string | Uint8Array) => (muted ? true : process.stderr.write(chunk)),
  };
  const reader = createInterface({ input: process.stdin, output: output as Writable, terminal: true });
  return new Promise((resolve) => {
    reader.question(question, (answer) => {
      reader.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
