import { Settings1764200000000 } from './1764200000000-settings';

/** In the order they apply. */
export const migrations = [Settings1764200000000];
