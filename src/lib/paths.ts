// The project's root folder, found the same way from src/ (tests) and from dist/src/ (the built server).
import fs from 'node:fs';
import path from 'node:path';

let root: string | null = null;

export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'schema.graphql'))) {
    const parent = path.dirname(dir);
    // A build copied elsewhere runs from the folder it is started in.
    if (parent === dir) return (root = process.cwd());
    dir = parent;
  }
  root = dir;
  return dir;
}
