import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source-options.js';

// For the TypeORM CLI (`npm run migration:run`); the gateway and `bulletin-gateway migrate` use the same options.
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must be set to use the TypeORM CLI');
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL));
