import { CONFIG_ENV, type IoauthConfig, type IoauthConfigInput } from './ioauth-config.js';
import { crossFieldIssues, ioauthConfigSchema, type ConfigIssue } from './ioauth-config.schema.js';

/**
 * Thrown at start-up for an invalid configuration. Its message lists every bad field by variable and option
 * name, never by value.
 */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid ioauth configuration:\n${issues
        .map(({ field, message }) => `  - ${CONFIG_ENV[field]} (${field}) ${message}`)
        .join('\n')}`,
    );
    this.name = new.target.name;
  }
}

/**
 * Validates a configuration and fills in the defaults.
 * @throws ConfigError naming every bad field at once.
 */
export function parseIoauthConfig(input: IoauthConfigInput = {}): IoauthConfig {
  const result = ioauthConfigSchema.safeParse(input);
  const issues: ConfigIssue[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        field: issue.path[0] as keyof IoauthConfig,
        message: issue.message,
      }));
  issues.push(...crossFieldIssues(input));
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return result.data as IoauthConfig;
}

/** Reads the configuration's variables from an environment; empty variables count as unset. */
export function configInputFromEnv(env: NodeJS.ProcessEnv = process.env): IoauthConfigInput {
  const input: Record<string, string> = {};
  for (const [field, name] of Object.entries(CONFIG_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[field] = value;
  }
  return input as IoauthConfigInput;
}
