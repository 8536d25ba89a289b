// After `tsc`, copy what the compiled server reads at run time: the SQL migrations.
const fs = require('node:fs');
const path = require('node:path');

const from = path.join(__dirname, '..', 'src', 'storage', 'migrations');
const to = path.join(__dirname, '..', 'dist', 'storage', 'migrations');
fs.cpSync(from, to, { recursive: true });
