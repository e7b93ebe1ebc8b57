export { DemoGatewaysModule } from './demo-gateways.module.js';
export { DEMO_NAMESPACES } from './demo-namespaces.js';
export { DEMO_ASYNC_API } from './demo-async-api.js';
