import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A packed `@ioauth/*` package, as `npm run pack` writes it. */
export interface Tarball {
  /** `@ioauth/<lib>`. */
  name: string;
  /** Absolute path of the `.tgz`. */
  file: string;
}

/** The packages the consumer app imports; any other found (redis) is installed as well. */
export const REQUIRED_PACKAGES = [
  '@ioauth/contracts',
  '@ioauth/auth-core',
  '@ioauth/store',
  '@ioauth/sessions',
  '@ioauth/auth-http',
  '@ioauth/gateway',
  '@ioauth/observability',
  '@ioauth/client',
  '@ioauth/testing',
] as const;

/** The tarballs of `dir` (`dist/packages/`), none when it does not exist. */
export function findTarballs(dir: string): Tarball[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const match = /^ioauth-(.+)-\d+\.\d+\.\d+(?:-[\w.]+)?\.tgz$/.exec(entry);
    return match ? [{ name: `@ioauth/${match[1]}`, file: join(dir, entry) }] : [];
  });
}
