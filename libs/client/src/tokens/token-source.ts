/** Where a socket gets its access tokens: ioauth's own login and refresh, or another backend's tokens. */
export interface TokenSource {
  /** A token valid for a while yet: the current one, or a fresh one when it is about to expire. */
  accessToken(): Promise<string>;
  /** A new token now, as after `auth:expiring`. Concurrent callers share one request. */
  refresh(): Promise<string>;
}

/** Tokens minted by another backend (the PHP frontend of the original case): each call asks it for a fresh one. */
export function callbackTokenSource(getToken: () => Promise<string> | string): TokenSource {
  let pending: Promise<string> | undefined;
  const fetchToken = () => {
    pending ??= Promise.resolve()
      .then(getToken)
      .finally(() => (pending = undefined));
    return pending;
  };
  return { accessToken: fetchToken, refresh: fetchToken };
}
