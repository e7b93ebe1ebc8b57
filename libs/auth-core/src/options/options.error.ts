import type { z } from 'zod';

/**
 * One bad option: its name and a fixed message that never quotes the value. Other options a message names are in
 * backticks, so that an app reading its environment can name their variables instead.
 */
export interface OptionIssue {
  option: string;
  message: string;
}

/**
 * Thrown when a module is given bad options, before any of its providers run. Its message lists every bad option
 * by name, never by value (a value may be a secret: OWASP ASVS V7.1.1).
 */
export class OptionsError extends Error {
  constructor(
    readonly module: string,
    readonly issues: readonly OptionIssue[],
  ) {
    super(
      `Invalid ${module} options:\n${issues.map(({ option, message }) => `  - ${option} ${message.replaceAll('`', '')}`).join('\n')}`,
    );
    this.name = new.target.name;
  }
}

/**
 * Validates a module's options against its schema, together with the rules that tie options together, and fills in
 * the defaults. Options may be given typed or as text (as read from an environment).
 * @throws OptionsError naming every bad option at once.
 */
export function parseOptions<Schema extends z.ZodType>(
  module: string,
  schema: Schema,
  input: object,
  crossField: (input: Record<string, unknown>) => OptionIssue[] = () => [],
): z.output<Schema> {
  const result = schema.safeParse(input);
  const issues: OptionIssue[] = result.success
    ? []
    : result.error.issues.map((issue) => ({ option: String(issue.path[0]), message: issue.message }));
  issues.push(...crossField(input as Record<string, unknown>));
  if (issues.length > 0 || !result.success) throw new OptionsError(module, issues);
  return result.data;
}
