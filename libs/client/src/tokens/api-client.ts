import { IoauthError } from '../ioauth.error.js';

/** One call of the ioauth HTTP API. */
export interface ApiCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** A JSON body. */
  body?: unknown;
  /** The `Authorization` header: `Basic ...` or `Bearer ...`. */
  authorization?: string;
  /** Sends and accepts the refresh cookie (`credentials: 'include'`), with the header that proves a script sent it. */
  cookie?: boolean;
}

/** Header the server requires on a request that uses the refresh cookie: a cross-site form cannot set it. */
export const REQUESTED_WITH = { 'x-requested-with': 'ioauth' } as const;

/** Sends requests to the ioauth HTTP API and turns every failure into an `IoauthError` with the contract's code. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetch: typeof globalThis.fetch,
  ) {}

  /**
   * Resolves with a 2xx response.
   * @throws IoauthError with the code of the error body, or `service_unavailable` when the server cannot be reached.
   */
  async send(path: string, call: ApiCall): Promise<Response> {
    const headers: Record<string, string> = {};
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.authorization !== undefined) headers['authorization'] = call.authorization;
    if (call.cookie) Object.assign(headers, REQUESTED_WITH);
    let response: Response;
    try {
      response = await this.fetch(new URL(path, this.baseUrl).toString(), {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        // Only the refresh cookie's own calls carry credentials. Any other call omits them: its token travels in a
        // header, and a 401 with `WWW-Authenticate: Basic` (a wrong password at login) must reach the page instead of
        // opening the browser's own login dialog, which only a request with credentials can do (Fetch standard,
        // HTTP-network-or-cache fetch).
        credentials: call.cookie ? 'include' : 'omit',
      });
    } catch {
      throw new IoauthError('service_unavailable', 'the server cannot be reached');
    }
    if (!response.ok) throw await IoauthError.fromResponse(response);
    return response;
  }

  /**
   * `send`, then the JSON body.
   * @throws IoauthError as `send`, or `service_unavailable` when a 2xx body is not JSON (a proxy's page, say).
   */
  async json<T>(path: string, call: ApiCall): Promise<T> {
    const response = await this.send(path, call);
    try {
      return (await response.json()) as T;
    } catch {
      throw new IoauthError('service_unavailable', 'the server sent an unreadable answer');
    }
  }
}
