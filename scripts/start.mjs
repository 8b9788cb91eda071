// `npm start`: builds whatever is missing or older than its sources, then runs the API
// (or, with --worker, a worker) in this same process so signals reach it directly.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`Leadforge needs Node.js 24 or newer (this is ${process.version}). Run it through npm (npm start), which uses the pinned Node from node_modules.\n`);
  process.exit(1);
}

function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && !entry.startsWith('.')) visit(join(path, entry));
    } else if (!/\.(spec|bench)\.ts$/.test(path)) {
      newest = Math.max(newest, stats.mtimeMs);
    }
  };
  paths.forEach((path) => visit(join(root, path)));
  return newest;
}

function ensureBuilt(name, output, sources, script) {
  const outputPath = join(root, output);
  const built = existsSync(outputPath) ? statSync(outputPath).mtimeMs : 0;
  if (built >= newestMtime(sources)) return;
  process.stdout.write(`Building ${name}...\n`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`Building ${name} failed.\n`);
    process.exit(result.status ?? 1);
  }
}

const worker = process.argv.includes('--worker');
ensureBuilt(
  'the server',
  'dist/apps/api/src/main.js',
  ['apps/api/src', 'apps/worker/src', 'libs/extract/src', 'libs/contracts/src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
  'build:server',
);
if (!worker) {
  ensureBuilt('the admin console', 'dist/admin/browser/index.html', ['apps/admin', 'libs/sdk', 'libs/contracts/src', 'angular.json', 'package-lock.json'], 'build:admin');
}

const entry = worker ? 'dist/apps/worker/src/main.js' : 'dist/apps/api/src/main.js';
await import(pathToFileURL(join(root, entry)).href);
