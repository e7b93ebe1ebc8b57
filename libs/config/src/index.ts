export { ConfigError, configErrorOf, type ConfigIssue } from './config.error.js';
export { IOAUTH_ENV, type IoauthEnvName } from './ioauth-env.js';
export { loadIoauthOptions, type IoauthEnvOptions } from './load-ioauth-options.js';
export { coreModules, wsAuthModule } from './core-modules.js';
export { runHttpApp } from './run-http-app.js';
export { appRoot, withBuiltTemplate } from './app-files.js';
