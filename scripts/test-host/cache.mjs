// Where downloaded tools live: outside the clone, reused between runs and clones.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const cacheDir = process.env.ASYNC_TOOLKIT_CACHE || join(homedir(), '.cache', 'async-toolkit');
