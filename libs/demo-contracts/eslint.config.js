import base, { browserSafe } from '../../eslint.config.js';

export default [...base, browserSafe];
