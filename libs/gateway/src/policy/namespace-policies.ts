import type { NamespacePolicy, NamespacePolicyRule, RoomPolicyRule } from '../ws-auth.options.js';

const REQUIRED: NamespacePolicy = { auth: 'required' };

const matches = (pattern: string | RegExp, name: string) =>
  typeof pattern === 'string' ? pattern === name : new RegExp(pattern.source, pattern.flags).test(name);

/** The policy of a namespace: the first rule that matches its name, else a valid token is required. */
export function namespacePolicy(rules: readonly NamespacePolicyRule[], name: string): NamespacePolicy {
  return rules.find((rule) => matches(rule.namespace, name)) ?? REQUIRED;
}

/** The policy a room asks of its members, or undefined when anyone may be in it. */
export function roomPolicy(rules: readonly RoomPolicyRule[], room: string): RoomPolicyRule | undefined {
  return rules.find((rule) => matches(rule.room, room));
}
