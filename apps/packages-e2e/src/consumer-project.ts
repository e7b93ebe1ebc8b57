import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Tarball } from './tarballs.js';

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: Record<string, string>;
  [field: string]: unknown;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * The consumer's package.json: the template's dependencies at the versions this workspace's package-lock holds (so
 * that npm's cache serves them), every tarball as a `file:` dependency, and overrides that send the packages' own
 * `"@ioauth/x": "0.1.0"` dependencies to the tarballs too, never to the registry. The workspace's own overrides
 * come along: an app on Node 20 needs the same (`file-type`, which Nest 12 pins to a Node 22 release).
 */
export function consumerManifest(
  template: Manifest,
  tarballs: readonly Tarball[],
  workspaceRoot: string,
): Manifest {
  const lock = readJson<{ packages: Record<string, { version?: string }> }>(
    join(workspaceRoot, 'package-lock.json'),
  );
  const workspace = readJson<Pick<Manifest, 'overrides'>>(join(workspaceRoot, 'package.json'));
  const pinned = (names: Record<string, string>) =>
    Object.fromEntries(
      Object.keys(names).map((name) => {
        const version = lock.packages[`node_modules/${name}`]?.version;
        if (!version) throw new Error(`${name} is not in the workspace's package-lock.json`);
        return [name, version];
      }),
    );
  const packed = Object.fromEntries(tarballs.map(({ name, file }) => [name, `file:${file}`]));
  return {
    ...template,
    dependencies: { ...pinned(template.dependencies), ...packed },
    devDependencies: pinned(template.devDependencies),
    overrides: { ...workspace.overrides, ...packed },
  };
}

/** A copy of the consumer fixture in a fresh folder outside the repository. */
export interface ConsumerFolder {
  dir: string;
  remove(): Promise<void>;
}

/** Copies `fixture` into a new folder under the system's temp folder and writes its package.json there. */
export async function createConsumerFolder(
  fixture: string,
  tarballs: readonly Tarball[],
  workspaceRoot: string,
): Promise<ConsumerFolder> {
  const dir = await mkdtemp(join(tmpdir(), 'ioauth-consumer-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(fixture, dir, {
      recursive: true,
      filter: (source) => !source.endsWith('package.template.json'),
    });
    const template = readJson<Manifest>(join(fixture, 'package.template.json'));
    const manifest = consumerManifest(template, tarballs, workspaceRoot);
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, undefined, 2)}\n`);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}
