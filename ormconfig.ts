// The DataSource the TypeORM CLI uses (migration:generate, migration:show), built from the same configuration as the server.
import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';

export default createDataSource(loadConfig().database);
