// Trunk's post-build hook for the widget (see Trunk.toml): removes from the wasm-bindgen glue
// the classes of wasm-streams (IntoUnderlyingSource, IntoUnderlyingSink,
// IntoUnderlyingByteSource). Leptos always enables server_fn's browser client, which links
// wasm-streams and its exported classes; the widget makes no server function calls, nothing
// creates these classes, and wasm-opt drops their exports from the wasm (`cargo xtask build`,
// after this hook).
// Residents would download them for nothing.
//
// Fails the build if one of them is still named once removed: the glue would then use it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'concerto-widget.js');
let glue = readFileSync(file, 'utf8');
for (const name of ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource']) {
  const start = glue.indexOf(`export class ${name} {\n`);
  if (start < 0) {
    continue;
  }
  const end = glue.indexOf('\n}\n', start);
  if (end < 0) {
    throw new Error(`${file}: the class ${name} has no end`);
  }
  glue = glue.slice(0, start) + glue.slice(end + 3);
  glue = glue.replace(
    `if (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;\n`,
    '',
  );
  glue = glue.replace(new RegExp(`const ${name}Finalization = [^;]*;\\n`), '');
  if (glue.includes(name)) {
    throw new Error(`${file}: ${name} is still used once its class is removed`);
  }
}
writeFileSync(file, glue);
