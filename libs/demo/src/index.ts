export { DemoGatewaysModule } from './demo-gateways.module.js';
export { DEMO_NAMESPACES } from './demo-namespaces.js';
