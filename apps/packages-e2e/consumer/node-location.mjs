// Runs the browser bundle under Node (with --experimental-websocket for a global WebSocket): the page's
// `location` is the URL given on the command line.
globalThis.location = new URL(process.argv[2]);
