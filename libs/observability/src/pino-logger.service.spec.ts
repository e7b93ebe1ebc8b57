import { Logger } from '@nestjs/common';
import { pino } from 'pino';

import { PinoLoggerService } from './pino-logger.service.js';

function setup(level = 'trace') {
  let text = '';
  const service = new PinoLoggerService(pino({ level }, { write: (line: string) => (text += line) }));
  const lines = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { service, lines };
}

describe('PinoLoggerService', () => {
  afterEach(() => Logger.overrideLogger(false));

  it("writes Nest's Logger lines at pino's levels, with their context", () => {
    const { service, lines } = setup();
    Logger.overrideLogger(service);
    const logger = new Logger('ioauth');
    logger.log('serving');
    logger.warn('careful');
    logger.debug('detail');
    logger.verbose('more detail');
    logger.fatal('down');
    expect(lines().map(({ level, context, msg }) => ({ level, context, msg }))).toEqual([
      { level: 30, context: 'ioauth', msg: 'serving' },
      { level: 40, context: 'ioauth', msg: 'careful' },
      { level: 20, context: 'ioauth', msg: 'detail' },
      { level: 10, context: 'ioauth', msg: 'more detail' },
      { level: 60, context: 'ioauth', msg: 'down' },
    ]);
  });

  it('writes an object message as fields of the line, so that audit events stay structured', () => {
    const { service, lines } = setup();
    Logger.overrideLogger(service);
    new Logger('ioauth.audit').log({ event: 'login.succeeded', user: 'alice', sid: 's1' });
    expect(lines()[0]).toMatchObject({ context: 'ioauth.audit', event: 'login.succeeded', user: 'alice' });
  });

  it('keeps the stack of an error, given as an Error or as Nest passes it', () => {
    const { service, lines } = setup();
    Logger.overrideLogger(service);
    new Logger('ioauth').error('start-up failed', 'Error: boom\n    at here', 'ioauth');
    service.error(new Error('boom'));
    const [first, second] = lines();
    expect(first).toMatchObject({ level: 50, msg: 'start-up failed', stack: 'Error: boom\n    at here' });
    expect(second).toMatchObject({ level: 50, msg: 'boom', err: { message: 'boom' } });
  });

  it('writes nothing below its level', () => {
    const { service, lines } = setup('warn');
    service.log('quiet');
    service.debug('quiet');
    service.warn('loud');
    expect(lines().map((line) => line['msg'])).toEqual(['loud']);
  });
});
