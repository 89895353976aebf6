// The golden runs under any JavaScript runtime: prints one JSON object (golden-runs-core.mjs
// says what it holds) plus which runtime and engine computed it. Runs unchanged under
//   node properties/runtimes/golden-runs.mjs
//   deno run --allow-read --no-lock properties/runtimes/golden-runs.mjs
//   bun properties/runtimes/golden-runs.mjs
// and, bundled by esbuild for the browser, in a Chromium page (cross-runtime.test.ts).
// Needs the built library (npm run build). Reads runtime globals only to name the runtime.
import * as lib from '../../dist/index.js'
import { goldenRuns } from './golden-runs-core.mjs'

const runtime = () => {
  const g = globalThis
  if (g.Deno?.version) return { name: 'deno', version: g.Deno.version.deno, engine: `V8 ${g.Deno.version.v8}` }
  if (g.Bun?.version) return { name: 'bun', version: g.Bun.version, engine: 'JavaScriptCore' }
  if (g.process?.versions?.node) return { name: 'node', version: g.process.version, engine: `V8 ${g.process.versions.v8}` }
  if (g.navigator?.userAgent) return { name: 'browser', version: g.navigator.userAgent, engine: 'unknown' }
  return { name: 'unknown', version: 'unknown', engine: 'unknown' }
}

console.log(JSON.stringify({ runtime: runtime(), ...goldenRuns(lib) }))
