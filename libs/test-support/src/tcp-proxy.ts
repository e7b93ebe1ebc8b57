import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A loopback TCP proxy in front of a server, which a test can freeze to play a hung server or network. */
export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /**
   * Stops forwarding in both directions and keeps every socket open, new ones included: what is sent is held, so
   * the peers see a server that accepts connections and then never answers, which no error reveals.
   */
  freeze(): void;
  /** Forwards again, what was held first. */
  thaw(): void;
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

/** Starts a `TcpProxy` on a free loopback port in front of `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const held: [Socket, Buffer][] = [];
  let frozen = false;

  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => (frozen ? held.push([to, chunk]) : to.write(chunk)));
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
    from.on('close', () => {
      sockets.delete(from);
      to.destroy();
    });
  };

  const server = createServer((client) => {
    const upstream = connect(port, host);
    sockets.add(client).add(upstream);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    port: (server.address() as AddressInfo).port,
    freeze: () => (frozen = true),
    thaw: () => {
      frozen = false;
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
