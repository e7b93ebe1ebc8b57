export { connectSocket, refusedConnect, testSocketOptions, waitFor } from '@ioauth/client/testing';
export { startTestApp, type TestApp } from './test-app.js';
export { TEST_SECRET, tokenMinter, type MintOptions } from './tokens.js';
