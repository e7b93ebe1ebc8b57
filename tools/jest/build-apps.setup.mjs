// Global setup of the e2e suites: they run the compiled apps, as production does, so any app whose sources changed
// since its last build is rebuilt first (a few hundred milliseconds each; nothing when all are current).
import { buildStale } from '../build-apps.mjs';

export default async function buildApps() {
  await buildStale(['apps/server', 'apps/auth-api', 'apps/gateway', 'apps/cli', 'examples/enterprise-app']);
}
