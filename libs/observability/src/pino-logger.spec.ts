import { once } from 'node:events';
import { Writable } from 'node:stream';

import { createPinoLogger } from './pino-logger.js';

/** Collects what a logger writes; `written` fires per chunk (pino-pretty's stream writes after a tick). */
class Sink extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
    this.emit('written');
  }

  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

async function withTerminal<T>(isTTY: boolean, work: () => Promise<T>): Promise<T> {
  const before = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: isTTY, configurable: true });
  try {
    return await work();
  } finally {
    if (before) Object.defineProperty(process.stdout, 'isTTY', before);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
}

describe('createPinoLogger', () => {
  it('writes one JSON object per line when standard output is not a terminal', async () => {
    const sink = new Sink();
    await withTerminal(false, async () => {
      createPinoLogger({ destination: sink }).info({ context: 'ioauth' }, 'serving on http://127.0.0.1:3000');
    });
    expect(sink.lines()).toEqual([
      expect.objectContaining({ level: 30, context: 'ioauth', msg: 'serving on http://127.0.0.1:3000' }),
    ]);
  });

  it('writes lines for people on a terminal: time, level, [context] and message', async () => {
    const sink = new Sink();
    await withTerminal(true, async () => {
      const written = once(sink, 'written');
      createPinoLogger({ destination: sink }).warn({ context: 'ioauth' }, 'demo mode');
      await written;
    });
    expect(sink.text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: \[ioauth\] demo mode\n$/);
  });

  it('drops lines below LOG_LEVEL, and every line when silent', () => {
    const sink = new Sink();
    const logger = createPinoLogger({ level: 'warn', pretty: false, destination: sink });
    logger.info('not written');
    logger.debug('not written');
    logger.warn('written');
    createPinoLogger({ level: 'silent', pretty: false, destination: sink }).fatal('not written');
    expect(sink.lines().map((line) => line['msg'])).toEqual(['written']);
  });

  it('defaults to info', () => {
    const sink = new Sink();
    const logger = createPinoLogger({ pretty: false, destination: sink });
    logger.debug('not written');
    logger.info('written');
    expect(sink.lines().map((line) => line['msg'])).toEqual(['written']);
  });

  it('blanks passwords, tokens, secrets and credential headers in any logged object', () => {
    const sink = new Sink();
    createPinoLogger({ pretty: false, destination: sink }).info(
      {
        req: { headers: { authorization: 'Basic YWxpY2U6aHVudGVyMg==', cookie: 'sid=abc123' } },
        body: { password: 'hunter2', refresh_token: 'rt-secret', access_token: 'at-secret' },
        key: { secret: 'hs-secret', token: 'tk-secret' },
      },
      'login',
    );
    for (const secret of [
      'YWxpY2U6aHVudGVyMg',
      'abc123',
      'hunter2',
      'rt-secret',
      'at-secret',
      'hs-secret',
      'tk-secret',
    ])
      expect(sink.text).not.toContain(secret);
    expect(sink.lines()[0]).toMatchObject({ body: { password: '[redacted]' } });
  });
});
