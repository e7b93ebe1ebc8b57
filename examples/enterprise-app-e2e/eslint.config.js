import base, { testingAllowed } from '../../eslint.config.js';

export default [...base, testingAllowed];
