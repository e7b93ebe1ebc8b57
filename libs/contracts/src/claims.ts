/** `typ` header of an access token (RFC 9068 section 2.1). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Claims of an ioauth access token (RFC 9068 section 2.2; shared/CONTRACT.md). */
export interface AccessTokenClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Not before, seconds since the epoch. */
  nbf: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
  jti: string;
  /** Session id: every token refreshed from one login shares it, and revocation targets it. */
  sid: string;
  /** Space-separated scopes (RFC 6749 section 3.3). */
  scope: string;
  roles: string[];
}

/** Body of a successful `POST /auth/login` or `POST /auth/token` (RFC 6749 section 5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** Body of `GET /auth/me`. */
export interface MeResponse {
  sub: string;
  scope: string;
  roles: string[];
  exp: number;
  sid: string;
}

/** Acknowledgement of the built-in `whoami` event. */
export type WhoAmI = Omit<MeResponse, 'sid'>;
