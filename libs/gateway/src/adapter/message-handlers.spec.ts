import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Test } from '@nestjs/testing';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WsException,
  type MessageMappingProperties,
} from '@nestjs/websockets';
import { Observable } from 'rxjs';
import type { Socket as ServerSocket } from 'socket.io';
import type { Socket } from 'socket.io-client';

import { connectSocket, waitFor } from '@ioauth/test-support';

import { bindMessageHandlers } from './message-handlers.js';

// Streams of the `ticks` handler that were torn down, by the id of the socket that asked for them.
const tornDown = new Map<string, () => void>();

@WebSocketGateway()
class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() body: unknown): unknown {
    return body;
  }

  @SubscribeMessage('later')
  async later(@MessageBody() body: unknown): Promise<unknown> {
    await new Promise((resolve) => setImmediate(resolve));
    return { later: body };
  }

  @SubscribeMessage('nothing')
  nothing(): undefined {
    return undefined;
  }

  @SubscribeMessage('ping')
  ping(): { event: string; data: string } {
    return { event: 'pong', data: 'p' };
  }

  @SubscribeMessage('refused')
  refused(): never {
    throw new WsException('no');
  }

  @SubscribeMessage('manual')
  manual(@Ack() ack: (response: string) => void): string {
    ack('from the handler');
    return 'from the return value';
  }

  @SubscribeMessage('ticks')
  ticks(@ConnectedSocket() socket: ServerSocket): Observable<{ event: string; data: number }> {
    return new Observable((subscriber) => {
      subscriber.next({ event: 'tick', data: 1 });
      return () => tornDown.get(socket.id)?.();
    });
  }
}

class LeanIoAdapter extends IoAdapter {
  override bindMessageHandlers(
    socket: ServerSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    bindMessageHandlers(socket, handlers, transform, (payload) => this.mapPayload(payload), this.logger);
  }
}

// Nest's own adapter runs the same cases: what a handler's client sees must not change with ioauth's binding.
describe.each([
  ['bindMessageHandlers', LeanIoAdapter],
  ["Nest's IoAdapter (the reference)", IoAdapter],
])('%s', (_name, Adapter) => {
  let app: INestApplication;
  let url: string;
  let socket: Socket;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ providers: [EchoGateway] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new Adapter(app));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  beforeEach(async () => {
    socket = await connectSocket(url);
  });
  afterEach(() => socket.close());
  afterAll(() => app.close());

  it('acknowledges with the handler’s result, sync or async, for one argument or several', async () => {
    expect(await socket.emitWithAck('echo', { a: 1 })).toEqual({ a: 1 });
    expect(await socket.emitWithAck('echo', [1, 2])).toEqual([1, 2]);
    expect(await socket.emitWithAck('echo', 1, 'two')).toEqual([1, 'two']);
    expect(await socket.emitWithAck('later', 'x')).toEqual({ later: 'x' });
  });

  it('emits `{ event, data }` results as that event, and sends nothing for an undefined result', async () => {
    const acks: unknown[] = [];
    socket.emit('nothing', (response: unknown) => acks.push(response));
    const pong = waitFor(socket, 'pong');
    socket.emit('ping');
    expect(await pong).toBe('p');
    // Handled in order: `nothing` answered before `echo` if it answered at all.
    expect(await socket.emitWithAck('echo', 'after')).toBe('after');
    expect(acks).toEqual([]);
  });

  it('leaves the acknowledgement to a handler that takes `@Ack()`', async () => {
    expect(await socket.emitWithAck('manual')).toBe('from the handler');
  });

  it('keeps answering an event whose handler threw', async () => {
    for (const _attempt of [1, 2]) {
      const exception = waitFor<{ message: string }>(socket, 'exception');
      socket.emit('refused');
      expect((await exception).message).toBe('no');
    }
  });

  it('tears down a handler’s stream when its socket disconnects', async () => {
    const torn = new Promise<void>((resolve) => tornDown.set(socket.id as string, resolve));
    const tick = waitFor(socket, 'tick');
    socket.emit('ticks');
    expect(await tick).toBe(1);
    socket.close();
    await torn;
  });
});
