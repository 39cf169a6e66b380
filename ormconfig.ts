// The DataSource of the TypeORM CLI (`npx typeorm migration:show -d dist/ormconfig.js` after a build): the database
// of DATABASE_URL and DATA_DIR, read by loadConfig and built by createDataSource as the server and the CLI build it.
import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';

export default createDataSource(loadConfig().database);
