import type { CliOutput, OutputSink } from './cli.output.js';
import type { ProgressStream } from './import/import-progress.js';
import type { UserAdminPort } from './user-admin/user-admin.port.js';

/** What the commands work with; a spec gives fakes, `main.ts` the deployment's. */
export interface CliDependencies {
  /** Runs `work` on the deployment's users: on its store, or through the server that holds it. */
  withUsers<T>(work: (users: UserAdminPort) => Promise<T>): Promise<T>;
  /** Makes a new signing key; resolves with its `kid`. */
  rotateKey(): Promise<string>;
  /** A new password, from standard input. */
  readPassword(): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
  /** The version `--version` prints. */
  version(): string;
  stdout: OutputSink;
  /** Where messages and the import's progress bar go. */
  stderr: ProgressStream;
}

/** What a command module needs of the program. */
export interface CommandContext {
  deps: CliDependencies;
  output(): CliOutput;
  /** The command failed in part (an import with bad rows): exit 1 once its output is written. */
  fail(): void;
}
