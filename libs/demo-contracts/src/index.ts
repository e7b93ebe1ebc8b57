export type { ChatMessage, DemoClientEvents, DemoServerEvents } from './demo-events.js';
