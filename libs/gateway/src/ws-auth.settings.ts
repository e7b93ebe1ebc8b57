/** Injection token of the validated `WsAuthSettings`, private to this library. */
export const WS_AUTH_SETTINGS = 'IOAUTH:WS_AUTH_SETTINGS';
