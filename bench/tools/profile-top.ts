// Summarises a V8 .cpuprofile (from `npm run bench -- <name> --cpu-prof`): the functions with the most self time,
// and the heaviest frames including their callees. Usage: node dist/bench/tools/profile-top.js <file> [rows]
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '~/')
    .replace(/^.*\/dist\//, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

function main(): void {
  const [file, rowsArg] = process.argv.slice(2);
  if (!file) {
    console.error('usage: profile-top <file.cpuprofile> [rows]');
    process.exit(2);
  }
  const rows = Number(rowsArg ?? 30);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = profile.nodes.reduce((sum, node) => sum + node.hitCount, 0);
  const self = new Map<string, number>();
  for (const node of profile.nodes) self.set(label(node), (self.get(label(node)) ?? 0) + node.hitCount);

  // Inclusive time: a frame's hits plus its callees', counted once per label along each path.
  const inclusive = new Map<string, number>();
  const walk = (node: ProfileNode, onPath: Set<string>): number => {
    let hits = node.hitCount;
    const name = label(node);
    const fresh = !onPath.has(name);
    if (fresh) onPath.add(name);
    for (const child of node.children ?? []) hits += walk(byId.get(child)!, onPath);
    if (fresh) {
      onPath.delete(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
    }
    return hits;
  };
  walk(profile.nodes[0], new Set());

  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, hits] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
      console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  print('self time', self);
  print('inclusive time', inclusive);
}

main();
