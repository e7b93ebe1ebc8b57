import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import express from 'express';

import { parseAuthHttpOptions } from '../auth-http.options.schema.js';
import { sameTrustProxy, TrustProxyCheck } from './trust-proxy.check.js';

describe('sameTrustProxy', () => {
  it.each([
    ['unset, for false', undefined, false],
    ['false', false, false],
    ['a hop count', 2, 2],
    ['a comma-separated string, for a list', 'loopback, 10.0.0.0/8', ['10.0.0.0/8', 'loopback']],
    ['a list in another order and case', ['LOOPBACK', '10.0.0.0/8'], ['10.0.0.0/8', 'loopback']],
  ] as const)('accepts %s', (_case, setting, trustProxy) => {
    expect(sameTrustProxy(setting, trustProxy as false | number | string[])).toBe(true);
  });

  it.each([
    ['true (every hop: a client picks its own address)', true, false],
    ['true, even against a list', true, ['loopback']],
    ['a function (cannot be compared)', () => true, ['loopback']],
    ['unset when proxies are configured', undefined, ['loopback']],
    ['another hop count', 1, 2],
    ['another list', 'loopback', ['loopback', '10.0.0.0/8']],
  ] as const)('refuses %s', (_case, setting, trustProxy) => {
    expect(sameTrustProxy(setting, trustProxy as false | number | string[])).toBe(false);
  });
});

describe('TrustProxyCheck', () => {
  const warnings = (setting: unknown, trustProxy: string) => {
    const app = express();
    if (setting !== undefined) app.set('trust proxy', setting);
    const host = { httpAdapter: { getType: () => 'express', getInstance: () => app } };
    const check = new TrustProxyCheck(
      host as unknown as HttpAdapterHost,
      parseAuthHttpOptions({ trustProxy }),
    );
    const warned: unknown[] = [];
    const spy = import.meta.jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => void warned.push(message));
    try {
      check.onApplicationBootstrap();
    } finally {
      spy.mockRestore();
    }
    return warned;
  };

  it('stays quiet when the app trusts the configured proxies', () => {
    expect(warnings(['loopback'], 'loopback')).toEqual([]);
    expect(warnings(undefined, 'false')).toEqual([]);
  });

  it('warns, naming the setting and the variable, when the app trusts other proxies', () => {
    expect(warnings(true, 'false')).toEqual([expect.stringContaining('IOAUTH_TRUST_PROXY')]);
    expect(warnings(undefined, 'loopback')).toEqual([expect.stringContaining("'trust proxy'")]);
  });

  it('does nothing without an HTTP server', () => {
    const check = new TrustProxyCheck({} as HttpAdapterHost, parseAuthHttpOptions());
    expect(() => check.onApplicationBootstrap()).not.toThrow();
  });
});
