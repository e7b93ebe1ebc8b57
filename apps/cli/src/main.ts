import { runCli } from './cli.program.js';
import { readUserFile } from './import/read-user-file.js';
import { readPassword } from './read-password.js';
import { rotateSigningKey, withUserAdmin } from './user-admin/open-user-admin.js';
import { cliVersion } from './version.js';

const exitCode = await runCli(process.argv.slice(2), {
  withUsers: withUserAdmin,
  rotateKey: rotateSigningKey,
  readPassword,
  readFile: readUserFile,
  version: cliVersion,
  stdout: process.stdout,
  stderr: process.stderr,
});
// Everything is closed by now, but the embedded PostgreSQL leaves a timer of its own armed after it closes
// (emscripten's setitimer), which kept every command alive ~0.7 s past its work (issue 13). Exits once the output is
// written.
process.stdout.write('', () => process.exit(exitCode));
