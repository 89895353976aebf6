/**
 * src/wasm/bytes.ts (committed, so that a checkout typechecks and bundles without the
 * compiler) is exactly what `npm run build` makes of the AssemblyScript sources in
 * src/wasm/assembly: the kernels that run are the kernels that are reviewed.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ES module of the build, without types
import { bytesModule, compileKernels } from '../../src/cli/build-wasm.mjs'

describe('src/wasm/bytes.ts', () => {
  it('is the compiled src/wasm/assembly, byte for byte', async () => {
    const committed = readFileSync(new URL('../../src/wasm/bytes.ts', import.meta.url), 'utf8')
    expect(committed).toBe(bytesModule(await compileKernels()))
  })
})
