// Starts the dashboard: loads the wasm-bindgen glue and the wasm that trunk wrote beside this
// file. A file rather than trunk's inline script, so that the page's CSP needs no exception.
import init from './concerto-dashboard.js';

init({ module_or_path: new URL('./concerto-dashboard_bg.wasm', import.meta.url) });
