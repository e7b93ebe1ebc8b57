import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, BrowserContext } from 'playwright-core';

import { startServer, type ServerProcess } from '@ioauth/test-support';

import { buildDemoPage, freePort, launchBrowser } from './browser.js';
import { DemoPage } from './demo-page.js';

/** Per-case timeout of the slower cases. */
export const SLOW = 60_000;
// A server process takes seconds to start, and much longer while every other suite runs beside this one.
const START = 120_000;

/** What a suite's cases use: its server, and pages in browser contexts of their own. */
export interface DemoSuite {
  readonly server: ServerProcess;
  /** A page in a new browser context: another browser, with its own cookies. */
  open(): Promise<DemoPage>;
  /** Starts the server again on the same port and data folder, after `server.stop()`. */
  restart(): Promise<void>;
}

/**
 * Registers the hooks of a demo-page suite: one chromium, one server process (demo users, `env` on top, a port and
 * a data folder of its own), the contexts closed after each case, which fails on any uncaught error of its pages.
 */
export function demoSuite(env: Record<string, string>): DemoSuite {
  let browser: Browser;
  let server: ServerProcess;
  let serverEnv: Record<string, string>;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const pages: DemoPage[] = [];

  beforeAll(async () => {
    buildDemoPage();
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-demo-e2e-'));
    serverEnv = {
      PORT: String(await freePort()),
      IOAUTH_DATA_DIR: dataDir,
      IOAUTH_LOGIN_IP_LIMIT: '1000',
      ...env,
    };
    [browser, server] = await Promise.all([launchBrowser(), startServer(serverEnv)]);
  }, START);
  afterEach(async () => {
    const errors = pages.splice(0).flatMap((page) => page.errors);
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  }, SLOW);

  return {
    get server() {
      return server;
    },
    open: async () => {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await DemoPage.open(context, server.url);
      pages.push(page);
      return page;
    },
    restart: async () => {
      server = await startServer(serverEnv);
    },
  };
}
