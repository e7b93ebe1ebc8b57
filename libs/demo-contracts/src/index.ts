export type { ChatMessage, DemoClientEvents, DemoServerEvents } from './demo-events.js';
export { DEMO_CLIENT_EVENT_DOCS, DEMO_SERVER_EVENT_DOCS } from './demo-event-docs.js';
