import type { TokenResponse } from '@ioauth/contracts';

import type { Scheduler } from '../clock.js';

/** A clock and timers that move only when told to. */
export class FakeScheduler implements Scheduler {
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(public time = 1_800_000_000_000) {}

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Moves time forward, running the timers that fall due, in order. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
      await settle();
    }
    this.time = until;
    await settle();
  }

  /** Delays of the timers waiting now, from the current time. */
  pending(): number[] {
    return this.timers.map((timer) => timer.at - this.time);
  }
}

/** Lets pending promise callbacks and response-body reads run (real macrotasks; the SDK's own timers are fake). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 3; round += 1)
    await new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}

/** A fake HTTP API: counts requests and answers token responses numbered 1, 2, 3... */
export function fakeApi(answer?: (path: string, init: RequestInit) => Response | undefined) {
  const requests: { path: string; init: RequestInit }[] = [];
  let issued = 0;
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const path = new URL(String(input)).pathname;
    requests.push({ path, init });
    const custom = answer?.(path, init);
    if (custom) return custom;
    if (path === '/auth/logout') return new Response(null, { status: 204 });
    if (path === '/auth/revoke') return Response.json({});
    issued += 1;
    const body: TokenResponse = {
      access_token: `access-${issued}`,
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: `refresh-${issued}`,
      scope: 'chat:read',
    };
    return Response.json(body);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/**
 * A fake ioauth server in cookie mode (`IOAUTH_REFRESH_COOKIE=true`) together with the browser's cookie jar, which
 * every `SessionTokens` built on its `fetch` shares, as tabs of one origin do. Refresh tokens are single-use: spending
 * a spent one revokes the session (every session: the fake does not tell them apart). The cookie is read when a request is sent and
 * written when its answer comes, one macrotask later, so that concurrent requests race as in a browser.
 */
export function fakeCookieServer(
  options: {
    cookieMode?: boolean;
    /** The access token of the n-th pair, for the user named by the login; `access-<n>` by default. */
    accessToken?: (n: number, user: string) => string;
  } = {},
) {
  const cookieMode = options.cookieMode ?? true;
  const accessToken = options.accessToken ?? ((n: number) => `access-${n}`);
  const requests: { path: string; init: RequestInit }[] = [];
  // Each live refresh token, with the user of its session.
  const live = new Map<string, string>();
  const state = { jar: undefined as string | undefined, issued: 0, revoked: [] as string[] };
  let fail: ((path: string, init: RequestInit) => Response | undefined) | undefined;
  const refused = (status: number, code: string) =>
    Response.json({ statusCode: status, code, message: code }, { status });
  const pair = (include: boolean, user: string) => {
    state.issued += 1;
    const refresh = `refresh-${state.issued}`;
    live.set(refresh, user);
    if (include && cookieMode) state.jar = refresh;
    const body: TokenResponse = {
      access_token: accessToken(state.issued, user),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: refresh,
      scope: 'chat:read',
    };
    return Response.json(body);
  };
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const path = new URL(String(input)).pathname;
    requests.push({ path, init });
    const include = init.credentials === 'include';
    const cookie = include ? state.jar : undefined;
    const body = (init.body ? JSON.parse(String(init.body)) : {}) as Record<string, string | undefined>;
    await new Promise((resolve) => globalThis.setTimeout(resolve, 0));
    const custom = fail?.(path, init);
    if (custom) return custom;
    if (path === '/auth/login') {
      const basic = new Headers(init.headers).get('authorization')?.replace('Basic ', '') ?? '';
      return pair(include, atob(basic).split(':')[0] ?? '');
    }
    const fromCookie = body['refresh_token'] === undefined && body['token'] === undefined;
    if (fromCookie && cookieMode && !new Headers(init.headers).get('x-requested-with'))
      return refused(403, 'forbidden');
    const token = fromCookie ? (cookieMode ? cookie : undefined) : (body['refresh_token'] ?? body['token']);
    if (path === '/auth/revoke') {
      if (fromCookie && !cookieMode) return refused(400, 'invalid_request');
      if (token !== undefined && live.has(token)) {
        state.revoked.push(token);
        live.clear();
      }
      if (fromCookie && include) state.jar = undefined;
      return Response.json({});
    }
    if (token === undefined) return refused(400, 'invalid_request');
    const user = live.get(token);
    if (user === undefined) {
      live.clear();
      if (fromCookie) state.jar = undefined;
      return refused(401, 'refresh_token_reused');
    }
    live.delete(token);
    return pair(include, user);
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    state,
    /** Answers requests with `answer` where it returns a response, from now on. */
    failWith(answer: (path: string, init: RequestInit) => Response | undefined) {
      fail = answer;
    },
  };
}

/** The Web Locks API as a browser gives it to every tab of an origin: one holder per name at a time. */
export class FakeLocks {
  private readonly tails = new Map<string, Promise<unknown>>();
  requested = 0;

  request<T>(name: string, task: () => Promise<T>): Promise<T> {
    this.requested += 1;
    const result = (this.tails.get(name) ?? Promise.resolve()).then(task);
    this.tails.set(
      name,
      result.catch(() => undefined),
    );
    return result;
  }
}

type Listener = (...args: unknown[]) => void;

/** A stand-in for a socket.io-client socket: records what the SDK does and lets the test play the server. */
export class FakeSocket {
  readonly listeners = new Map<string, Listener[]>();
  readonly emitted: { event: string; payload: unknown }[] = [];
  connects = 0;
  disconnects = 0;
  ackWith: (event: string, payload: unknown) => unknown = () => ({ ok: true });
  auth: ((send: (data: object) => void) => void) | undefined;

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  connect(): this {
    this.connects += 1;
    return this;
  }

  disconnect(): this {
    this.disconnects += 1;
    return this;
  }

  timeout(): this {
    return this;
  }

  async emitWithAck(event: string, payload: unknown): Promise<unknown> {
    this.emitted.push({ event, payload });
    return this.ackWith(event, payload);
  }

  /** Plays the server: fires an event at the SDK. */
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  /** Runs the handshake's auth callback, as socket.io does on every connect, and returns what it sends. */
  async handshake(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.auth?.((data) => resolve(data as Record<string, unknown>)));
  }
}

/** A socket.io-client factory that hands out one fake socket. */
export function fakeIo(socket: FakeSocket) {
  return ((_url: string, options: { auth: FakeSocket['auth'] }) => {
    socket.auth = options.auth;
    return socket;
  }) as unknown as typeof import('socket.io-client').io;
}
