import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DynamicModule, INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { AuthCoreModule, type AuthCoreOptions } from '@ioauth/auth-core';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { TEST_SECRET, tokenMinter } from './tokens.js';

/** An app listening on a free port, with a minter for its tokens. */
export interface TestApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  mint: ReturnType<typeof tokenMinter>;
  close(): Promise<void>;
}

/**
 * Starts a Nest app in-process on a free port: `AuthCoreModule` with HS256 test keys and a throw-away data folder,
 * your modules (`WsAuthModule`, gateways, controllers), and `IoauthIoAdapter`. Mint tokens for it with `mint`.
 */
export async function startTestApp(
  metadata: Pick<ModuleMetadata, 'imports' | 'providers' | 'controllers'>,
  config: AuthCoreOptions = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-test-app-'));
  const settings = { dataDir, algorithm: 'HS256', secret: TEST_SECRET, ...config } as const;
  const moduleRef = await Test.createTestingModule({
    imports: [AuthCoreModule.forRoot(settings), ...((metadata.imports ?? []) as DynamicModule[])],
    providers: metadata.providers ?? [],
    controllers: metadata.controllers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useWebSocketAdapter(new IoauthIoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    mint: tokenMinter({
      secret: typeof settings.secret === 'string' ? settings.secret : TEST_SECRET,
      issuer: typeof config.issuer === 'string' ? config.issuer : 'ioauth',
      audience: typeof config.audience === 'string' ? config.audience : 'ioauth',
    }),
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
