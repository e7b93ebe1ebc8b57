import { ConsoleLogger, Logger } from '@nestjs/common';

import type { AuthEvent } from './auth-event.js';
import { AuthEvents } from './auth-events.js';

const login: AuthEvent = { type: 'login.succeeded', sub: 'alice', sid: 's1' };
const failure: AuthEvent = { type: 'login.failed', username: 'alice', reason: 'invalid_credentials' };

describe('AuthEvents', () => {
  it('hands every event to subscribers, and one type to its listeners only', () => {
    const events = new AuthEvents();
    const all: AuthEvent[] = [];
    const failures: string[] = [];
    events.subscribe((event) => void all.push(event));
    events.on('login.failed', (event) => void failures.push(event.username ?? '?'));
    events.emit(login);
    events.emit(failure);
    expect(all).toEqual([login, failure]);
    expect(failures).toEqual(['alice']);
  });

  it('stops a listener when asked', () => {
    const events = new AuthEvents();
    const seen: AuthEvent[] = [];
    const stop = events.subscribe((event) => void seen.push(event));
    stop();
    events.emit(login);
    expect(seen).toEqual([]);
  });

  it('logs a listener that throws or rejects, and still calls the others', async () => {
    const errors: unknown[] = [];
    const quiet = () => undefined;
    Logger.overrideLogger({
      log: quiet,
      warn: quiet,
      error: (message: unknown) => void errors.push(message),
    });
    const events = new AuthEvents();
    const seen: AuthEvent[] = [];
    events.subscribe(() => {
      throw new Error('listener bug with a secret');
    });
    events.subscribe(async () => {
      throw new TypeError('async listener bug');
    });
    events.subscribe((event) => void seen.push(event));
    expect(() => events.emit(login)).not.toThrow();
    expect(seen).toEqual([login]);
    await new Promise(setImmediate);
    expect(errors).toEqual([
      expect.objectContaining({ event: 'login.succeeded', err: 'Error' }),
      expect.objectContaining({ event: 'login.succeeded', err: 'TypeError' }),
    ]);
    expect(JSON.stringify(errors)).not.toContain('secret');
    Logger.overrideLogger(new ConsoleLogger());
  });
});
