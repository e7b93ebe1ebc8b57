import { loadIoauthOptions } from './load-ioauth-options.js';
import { startupBanner, type StartupFacts } from './startup-banner.js';

const SERVER: StartupFacts = {
  url: 'http://127.0.0.1:3000',
  port: 3000,
  httpApi: true,
  socketIo: true,
  store: true,
};

const banner = (env: Record<string, string>, facts: Partial<StartupFacts> = {}) =>
  startupBanner(loadIoauthOptions(env), { ...SERVER, ...facts }).join('\n');

describe('startupBanner', () => {
  it('starts with the line e2e suites wait for', () => {
    expect(startupBanner(loadIoauthOptions({}), SERVER)[0]).toBe('serving on http://127.0.0.1:3000');
  });

  it("says what the all-in-one server serves on npm start's defaults", () => {
    const text = banner({ IOAUTH_DATA_DIR: '/var/lib/ioauth', IOAUTH_DEMO: 'true' });
    expect(text).toContain('listening on 127.0.0.1 port 3000 only');
    expect(text).toContain('HTTP API: http://127.0.0.1:3000/auth/login');
    expect(text).toContain('socket.io: ws://127.0.0.1:3000/socket.io/');
    expect(text).toContain('metrics: off');
    expect(text).toContain('store: embedded PGlite at /var/lib/ioauth/db');
    expect(text).toContain('Redis: none (one process)');
    expect(text).toContain('demo users: on');
    expect(text).toContain('tokens: ES256, generated keys');
  });

  it('says when the refresh token also travels in a cookie, and says nothing of it otherwise', () => {
    expect(banner({ IOAUTH_REFRESH_COOKIE: 'true' })).toContain(
      'refresh cookie: on (HttpOnly, SameSite=Strict; a page reload resumes the session)',
    );
    expect(banner({})).not.toContain('cookie');
    expect(banner({ IOAUTH_REFRESH_COOKIE: 'true' }, { httpApi: false })).not.toContain('cookie');
  });

  it('gives a loopback URL for an app listening on every interface', () => {
    const text = banner({ HOST: '0.0.0.0' });
    expect(text).toContain(
      'listening on every interface (0.0.0.0 port 3000); from this machine: http://127.0.0.1:3000',
    );
  });

  it('names PostgreSQL and Redis by host, port and database, never by their credentials', () => {
    const text = banner({
      DATABASE_URL: 'postgres://ioauth:pg-pass-123@db.internal:5432/ioauth?sslmode=require',
      REDIS_URL: 'rediss://default:redis-pass-456@cache.internal:6380/2',
      IOAUTH_JWT_ALG: 'HS256',
      IOAUTH_JWT_SECRET: 'hs256-secret-value-that-is-long-enough',
      IOAUTH_METRICS: 'true',
    });
    expect(text).toContain('store: PostgreSQL db.internal:5432/ioauth');
    expect(text).toContain('Redis: cache.internal:6380/2 (shared by every process)');
    expect(text).toContain('tokens: HS256, configured secret');
    expect(text).toContain('metrics: http://127.0.0.1:3000/metrics');
    for (const secret of ['ioauth:', 'pg-pass-123', 'sslmode', 'default:', 'redis-pass-456', 'hs256-secret'])
      expect(text).not.toContain(secret);
  });

  it('says verify-only, with the JWKS location but not its credentials', () => {
    const text = banner({ IOAUTH_VERIFY_JWKS_URL: 'https://php:jwks-pass@php.example/jwks.json?key=abc' });
    expect(text).toContain('tokens: verify-only: tokens of another backend (JWKS php.example/jwks.json)');
    expect(text).not.toContain('jwks-pass');
    expect(text).not.toContain('key=abc');
    const secret = banner({ IOAUTH_VERIFY_SECRET: 'verify-secret-value-that-is-long-enough' });
    expect(secret).toContain('verify-only: HS256 tokens of another backend (shared secret)');
    expect(secret).not.toContain('verify-secret-value');
  });

  it('describes the gateway alone: socket.io, no HTTP API, no store, no demo users', () => {
    const text = banner({}, { httpApi: false, store: false });
    expect(text).not.toContain('HTTP API');
    expect(text).toContain('socket.io: ws://127.0.0.1:3000/socket.io/');
    expect(text).toContain('store: none');
    expect(text).toContain('demo users: off');
    // The auth-api e2e suite checks that an app without demo users never speaks of demo mode.
    expect(text).not.toContain('demo mode');
  });
});
