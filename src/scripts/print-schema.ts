// Writes schema.graphql from the code-first schema: `npm run schema:print`.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/paths';
import { createSchema, printSortedSchema } from '../schema';

async function main(): Promise<void> {
  const target = path.join(projectRoot(), 'schema.graphql');
  fs.writeFileSync(target, printSortedSchema(await createSchema()));
  console.log(`wrote ${target}`);
}

void main();
