import { execFileSync } from 'node:child_process';

/**
 * Whether `php` (the CLI that mints the verify-only tokens, as the PHP backend of the original case would) can run.
 * Under `CI=true` it is required, so that CI never passes by skipping (`.ci/run` installs it); elsewhere its cases
 * are skipped with a line saying what to install.
 */
export function phpAvailable(): boolean {
  if (process.env['CI'] === 'true') return true;
  try {
    execFileSync('php', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write(
      'gateway-e2e verify-only PHP cases skipped: no php on PATH (apt-get install php-cli)\n',
    );
    return false;
  }
}
