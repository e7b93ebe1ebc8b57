/** pino's levels, from the most to the least severe, and `silent`: the values of `LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A level of `LOG_LEVELS`: lines below it are not written. */
export type LogLevel = (typeof LOG_LEVELS)[number];
