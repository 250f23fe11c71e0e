// asyncapi-check.mjs validates AsyncAPI documents with the official parser
// (@asyncapi/parser 3), resolving $refs to other files relative to each document.
// Usage: node asyncapi-check.mjs FILE...  (NODE_PATH or a sibling node_modules must hold the parser)
// It prints every diagnostic as FILE:LINE:COL: severity: message and exits 1 when any
// document has an error-level diagnostic.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(resolve(process.env.ASYNCAPI_PARSER_DIR || '.', 'package.json'));
const { Parser, DiagnosticSeverity } = require('@asyncapi/parser');

const parser = new Parser();
const names = ['error', 'warning', 'info', 'hint'];
let failed = false;

for (const file of process.argv.slice(2)) {
  const source = resolve(file);
  const text = await readFile(source, 'utf8');
  let diagnostics;
  try {
    ({ diagnostics } = await parser.parse(text, { source }));
  } catch (err) {
    console.log(`${file}: error: the parser failed: ${err.message}`);
    failed = true;
    continue;
  }
  let errors = 0;
  for (const d of diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning)) {
    const start = d.range?.start ?? { line: 0, character: 0 };
    const severity = names[d.severity] ?? String(d.severity);
    if (d.severity === DiagnosticSeverity.Error) {
      errors++;
    }
    const path = d.path?.length ? ` (at ${d.path.join('.')})` : '';
    console.log(`${file}:${start.line + 1}:${start.character + 1}: ${severity}: ${d.code}: ${d.message}${path}`);
  }
  if (errors > 0) {
    failed = true;
  } else {
    console.log(`${file}: ok`);
  }
}
process.exit(failed ? 1 : 0);
