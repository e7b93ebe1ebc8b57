import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { ObservabilityOptions } from './observability.options.js';

export const {
  ConfigurableModuleClass: ObservabilityConfigurableModule,
  MODULE_OPTIONS_TOKEN: OBSERVABILITY_OPTIONS,
  OPTIONS_TYPE: OBSERVABILITY_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ObservabilityOptions>({ moduleName: 'IoauthObservability' })
  .setClassMethodName('forRoot')
  // Global by default, so that the services of every module count into the one `AuthMetrics`.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
