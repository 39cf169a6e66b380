// Rewrites the configuration tables of README.md from src/env-schema.ts: `npm run config:table`.
import fs from 'node:fs';
import path from 'node:path';
import { withConfigTables } from '../config-table';
import { projectRoot } from '../lib/paths';

const target = path.join(projectRoot(), 'README.md');
fs.writeFileSync(target, withConfigTables(fs.readFileSync(target, 'utf8')));
console.log(`wrote ${target}`);
