import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { StoreOptions } from '@ioauth/store';

/**
 * The folder an app runs from: the nearest one above this module with a `package.json`. The same folder whether the
 * app runs from its sources (`libs/config/src/`) or compiled (`dist/apps/<app>/main.js`), here or in a deployed tree.
 */
export function appRoot(from = fileURLToPath(new URL('.', import.meta.url))): string {
  const parent = dirname(from);
  if (existsSync(join(from, 'package.json')) || parent === from) return from;
  return appRoot(parent);
}

/**
 * The store options with the embedded database template that `npm run build` writes (`dist/pglite/template.tar`),
 * when it is there and the embedded database is in use: a first start then copies it instead of running initdb.
 */
export function withBuiltTemplate(store: StoreOptions): StoreOptions {
  const template = join(appRoot(), 'dist', 'pglite', 'template.tar');
  if (store.databaseUrl || store.dataDirTemplate || !existsSync(template)) return store;
  return { ...store, dataDirTemplate: template };
}
