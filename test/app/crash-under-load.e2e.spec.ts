import { crashUnderLoadSuite } from './crash-under-load.suite';

/** A few kills of the whole service under load, in every `npm test`; `npm run test:crash` runs many more. */
crashUnderLoadSuite({ rounds: 3 });
