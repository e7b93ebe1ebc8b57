import base, { testingAllowed } from '../../eslint.config.js';

// consumer/ is an app outside the workspace: it compiles only against the installed packages, with its own tsc.
export default [{ ignores: ['consumer/**'] }, ...base, testingAllowed];
