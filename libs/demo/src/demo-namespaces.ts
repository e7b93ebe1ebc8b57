import type { NamespacePolicyRule } from '@ioauth/gateway';

/** The demo's namespace policies (shared/CONTRACT.md): `/` needs a token, `/public` does not, `/admin` needs `admin`. */
export const DEMO_NAMESPACES: readonly NamespacePolicyRule[] = [
  { namespace: '/public', auth: 'optional' },
  { namespace: '/admin', auth: 'required', roles: ['admin'] },
];
