import { isIP } from 'node:net';

import { z } from 'zod';

// A host name of RFC 1123 section 2.1: dot-separated labels of letters, digits and inner hyphens, 253 at most.
const HOST_NAME =
  /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** `HOST`: the address an app listens on, an IP address or a host name; loopback unless told otherwise. */
export const listenHost = z
  .string({ error: 'must be an IP address or a host name' })
  .trim()
  .refine((value) => isIP(value) !== 0 || HOST_NAME.test(value), 'must be an IP address or a host name')
  .default('127.0.0.1');

/** Whether a listen address is every interface of the machine rather than one. */
export const isWildcardHost = (host: string) => host === '0.0.0.0' || host === '::';
