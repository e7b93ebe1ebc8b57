import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { AUTH_HTTP_SETTINGS } from '../auth-http.constants.js';
import type { AuthHttpSettings } from '../auth-http.options.schema.js';
import { isLoopbackAddress } from '../http/loopback.js';

/** The request header that carries the local admin key. */
export const LOCAL_ADMIN_HEADER = 'x-ioauth-local-admin';

/** What the local admin file holds, for the CLI: where the admin API listens and the key to send it. */
export interface LocalAdminFile {
  url: string;
  key: string;
  pid: number;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

// The URL the CLI reaches the server by from this machine, or undefined when it listens on no loopback address.
function loopbackUrl(address: AddressInfo): string | undefined {
  if (address.address === '::1') return `http://[::1]:${address.port}`;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  return wildcard || isLoopbackAddress(address.address) ? `http://127.0.0.1:${address.port}` : undefined;
}

/**
 * The local admin credential: while the embedded store is held by this process, the CLI on the same machine cannot
 * open it, so it uses the admin API instead, with a key that only a local user able to read the data folder can
 * learn. A random key of 32 bytes, made at start and never logged, is written once the server listens to
 * `localAdminFile` (`{url, key, pid}`, mode 0600, through a temporary file renamed into place so that no reader sees
 * it half-written) and removed at shutdown. It is accepted from a loopback peer only, so it is no network door
 * (OWASP ASVS 5.0 V13.2.1: a credential made per process for one component, never a fixed shared one).
 */
@Injectable()
export class LocalAdminKey implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ioauth');
  private readonly key = randomBytes(32).toString('base64url');
  private readonly keyDigest = digest(this.key);
  private written = false;

  constructor(
    @Inject(AUTH_HTTP_SETTINGS) private readonly settings: AuthHttpSettings,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Whether a request presenting `presented` from the TCP peer `peer` is the local admin: the key of this process,
   * compared in constant time, from a loopback address (the socket's, never `X-Forwarded-For`).
   */
  accepts(presented: unknown, peer: string | undefined): boolean {
    if (this.settings.localAdminFile === undefined || typeof presented !== 'string') return false;
    // Equal-length digests: timingSafeEqual needs them, and the key's length is not revealed either.
    return timingSafeEqual(digest(presented), this.keyDigest) && isLoopbackAddress(peer);
  }

  /** Writes the file once the server listens: at once when it does already, else on its `listening` event. */
  onApplicationBootstrap(): void {
    const file = this.settings.localAdminFile;
    // No HTTP server: a testing module, or an app that never listens.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (file === undefined || server === undefined) return;
    const write = () => (this.written = this.write(file, server.address()));
    if (server.listening) write();
    else server.once('listening', write);
  }

  beforeApplicationShutdown(): void {
    const file = this.settings.localAdminFile;
    if (file !== undefined && this.written) rmSync(file, { force: true });
  }

  // Synchronous, once at start-up: the file is in place before the app logs that it serves, which is what the CLI
  // and scripts wait for (the listener runs before `listen`'s own callback).
  private write(file: string, address: AddressInfo | string | null): boolean {
    const url = typeof address === 'object' && address !== null ? loopbackUrl(address) : undefined;
    if (url === undefined) {
      this.logger.warn('the server listens on no loopback address: the CLI cannot use its admin API (HOST)');
      return false;
    }
    const content: LocalAdminFile = { url, key: this.key, pid: process.pid };
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600, flag: 'wx' });
      renameSync(temporary, file);
      return true;
    } catch (error) {
      rmSync(temporary, { force: true });
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      this.logger.warn(
        `could not write the local admin credential file ${file} (${code}): the CLI cannot use the admin API`,
      );
      return false;
    }
  }
}
