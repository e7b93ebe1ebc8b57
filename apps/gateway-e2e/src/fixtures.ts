import type { JWTPayload } from 'jose';

import type { TokenResponse } from '@ioauth/contracts';
import { tokenMinter } from '@ioauth/testing';

/** The HS256 secret the e2e servers sign with, so that tests can mint tokens with any claims. */
export const SECRET = 'gateway-e2e-secret-that-is-long-enough-for-hs256';
const minter = tokenMinter({ secret: SECRET });

/** Seconds since the epoch. */
export const now = () => Math.floor(Date.now() / 1000);

/** Mints an access token for the e2e servers: alice with the chat scopes, unless the claims say otherwise. */
export function mint(
  claims: JWTPayload & Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) {
  return minter({ sub: 'alice', scope: 'chat:read chat:write', claims, header });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** Logs a demo user in over HTTP. */
export async function login(
  base: string,
  user: string,
  password = `${user}-password`,
): Promise<TokenResponse> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { authorization: basic(user, password) },
  });
  if (response.status !== 200) throw new Error(`login of ${user} answered ${response.status}`);
  return (await response.json()) as TokenResponse;
}

/** Spends a refresh token for a new pair. */
export async function refresh(base: string, refreshToken: string): Promise<TokenResponse> {
  const response = await fetch(`${base}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  if (response.status !== 200) throw new Error(`refresh answered ${response.status}`);
  return (await response.json()) as TokenResponse;
}

/** Logs out the session of an access token. */
export async function logout(base: string, accessToken: string): Promise<number> {
  const response = await fetch(`${base}/auth/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return response.status;
}

let lastAddress = 0;
/** A fresh client address for `X-Forwarded-For`, so each test has its own handshake rate-limit counter. */
export function clientAddress(): string {
  lastAddress += 1;
  return `198.51.100.${lastAddress % 250}`;
}
