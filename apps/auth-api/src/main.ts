import { runHttpApp } from '@ioauth/auth-http';

import { AuthApiModule } from './auth-api.module.js';

await runHttpApp((config) => AuthApiModule.register(config));
