// After `tsc`, copy what the compiled server reads at run time from beside its code: every file
// under src/ that is not TypeScript (the SQL migrations and their journal, the Zoom simulator's
// OpenAPI description…). Views stay in views/, which dist/ finds at ../views as src/ does.
const fs = require('node:fs');
const path = require('node:path');

const src = path.join(__dirname, '..', 'src');
const dist = path.join(__dirname, '..', 'dist');

let copied = 0;
for (const entry of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath ?? entry.path, entry.name);
  const to = path.join(dist, path.relative(src, from));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  copied += 1;
}
process.stdout.write(`copied ${copied} asset(s) from src/ to dist/\n`);
