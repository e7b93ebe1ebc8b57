import type { SocketEventDoc } from '@ioauth/contracts';

/** What `asyncApiDocument` describes besides ioauth's own events. */
export interface AsyncApiOptions {
  /** `info.title`; default `ioauth socket.io gateway`. */
  title?: string;
  /** `info.version`, the app's version; default `0.1.0`. */
  version?: string;
  /** `host[:port]` clients connect to; default `localhost:3000`. */
  host?: string;
  /** The namespaces the app serves besides `/` (which every socket.io server has), one channel each. */
  namespaces?: readonly string[];
  /** The app's events its server emits, `satisfies SocketEventDocs<…>` of its map (without ioauth's). */
  serverEvents?: Readonly<Record<string, SocketEventDoc>>;
  /** The app's events its clients emit, `satisfies SocketEventDocs<…>` of its map (without ioauth's). */
  clientEvents?: Readonly<Record<string, SocketEventDoc>>;
}
