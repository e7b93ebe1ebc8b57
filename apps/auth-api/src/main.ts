import { runHttpApp } from '@ioauth/config';

import { AuthApiModule } from './auth-api.module.js';

await runHttpApp((options) => AuthApiModule.register(options));
