// `@ioauth/client/testing`: socket helpers for tests of apps and frontends on ioauth, kept out of the SDK's main
// entry. `@ioauth/testing` re-exports them beside its Nest test kit.
export { connectSocket, refusedConnect, testSocketOptions, waitFor, type Listenable } from './sockets.js';
