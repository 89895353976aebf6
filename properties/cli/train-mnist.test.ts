/**
 * `pure-gan train --data mnist:DIR` (issue 18) on a small synthetic MNIST folder (IDX files
 * built with encodeIdx): the run names its images by digest, writes the digit grids as PNG
 * files and in report.html, gives the same bytes twice, and `verify` and `--resume` read the
 * images back; every bad folder or setting is one line, exit 2, nothing written.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeIdx } from '../../src/validate/idx.js'
import { digitEvaluationSetup } from '../../src/cli/digit-metrics.js'
import { readMnistFolder } from '../../src/cli/mnist-files.js'
import { hasStackTrace, isOneLine, runBuilt, runInProcess } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-train-mnist-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A folder of the four files: `count` training digits of 28 x 28 bytes (a pattern per digit), 20 test digits. */
const mnistFolder = (name: string, count = 120, change?: (files: Record<string, Uint8Array>) => void): string => {
  const dir = join(work, name)
  mkdirSync(dir)
  const images = (n: number): Uint8Array => Uint8Array.from({ length: n * 784 }, (_, i) => ((Math.floor(i / 784) % 10) * 25 + (i % 28) * 3) % 256)
  const labels = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 10)
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte': encodeIdx([count, 28, 28], images(count)),
    'train-labels-idx1-ubyte': encodeIdx([count], labels(count)),
    't10k-images-idx3-ubyte': encodeIdx([20, 28, 28], images(20)),
    't10k-labels-idx1-ubyte': encodeIdx([20], labels(20)),
  }
  change?.(files)
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes)
  return dir
}

const folder = mnistFolder('good')
const small = ['--generator', '16:relu,784:sigmoid', '--discriminator', '8:relu,1', '--latent-dim', '4', '--batch-size', '20']

const train = (out: string, epochs = 2) => runInProcess(['train', '--data', `mnist:${folder}`, ...small, '--epochs', String(epochs), '--out', out, '--quiet'])

describe('pure-gan train --data mnist:DIR', () => {
  const out = join(work, 'run')
  const r = train(out)

  it('trains, names the images by the SHA-256 of the training images file, and records no pixel-space summary', () => {
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    const digest = createHash('sha256').update(readFileSync(join(folder, 'train-images-idx3-ubyte'))).digest('hex')
    // 120 images: floor(120 / 6) = 20 held out, 100 to train on
    expect(record.config.data).toEqual({ kind: 'mnist', digest, width: 784, size: 100, validation: 20, scale: '0..1' })
    expect(record.summary).toBeUndefined()
    expect(record.realSample).toHaveLength(100)
    expect(record.snapshots.map((s: { epoch: number }) => s.epoch)).toEqual([1, 2])
    expect(record.metrics.mmd.samples).toBe(20)
  })

  it('writes the real and the generated digits as PNG grids of 10 x 10 digits, and report.html embeds them', () => {
    expect(readdirSync(out).sort()).toEqual(['digits-epoch-1.png', 'digits-epoch-2.png', 'losses.svg', 'real-digits.png', 'report.html', 'run.json', 'timing.json'])
    for (const name of ['real-digits.png', 'digits-epoch-2.png']) {
      const png = readFileSync(join(out, name))
      expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10])
      // IHDR: 10 · 29 + 1 = 291 pixels each way
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([291, 291])
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html.match(/<img class="digits" src="data:image\/png;base64,/g)).toHaveLength(3)
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"")
  })

  it('the same run twice writes the same run.json', () => {
    const again = join(work, 'again')
    expect(train(again).code).toBe(0)
    expect(readFileSync(join(again, 'run.json'), 'utf8')).toBe(readFileSync(join(out, 'run.json'), 'utf8'))
  })

  it('verify --data mnist:DIR re-runs it bit for bit; without the folder it says which images it needs', () => {
    const v = runInProcess(['verify', join(out, 'run.json'), '--data', `mnist:${folder}`])
    expect(v.stderr).toBe('')
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^verified: /)
    const other = mnistFolder('other', 120, (files) => {
      files['train-images-idx3-ubyte'] = encodeIdx([120, 28, 28], new Uint8Array(120 * 784))
    })
    const w = runInProcess(['verify', join(out, 'run.json'), '--data', `mnist:${other}`])
    expect(w.code).toBe(2)
    expect(isOneLine(w.stderr)).toBe(true)
    expect(w.stderr).toMatch(/do not fit the run: the config's data is mnist \(digest [0-9a-f]{12}\.\.\.\), but the images supplied have digest [0-9a-f]{12}\.\.\.: they are other images than the run's\n$/)
  })

  it('--resume with --data mnist:DIR continues it to the bytes of a longer run; without the folder it reads the package and says what to give', () => {
    const resumed = join(work, 'resumed')
    const r3 = runInProcess(['train', '--resume', join(out, 'run.json'), '--data', `mnist:${folder}`, '--epochs', '3', '--out', resumed, '--quiet'])
    expect(r3.stderr).toBe('')
    expect(r3.code).toBe(0)
    const whole = join(work, 'three')
    expect(train(whole, 3).code).toBe(0)
    expect(readFileSync(join(resumed, 'run.json'), 'utf8')).toBe(readFileSync(join(whole, 'run.json'), 'utf8'))
    const refused = runInProcess(['train', '--resume', join(out, 'run.json'), '--epochs', '3', '--out', join(work, 'resumed2'), '--quiet'])
    expect(refused.code).toBe(2)
    expect(isOneLine(refused.stderr)).toBe(true)
    expect(refused.stderr).toMatch(/they are other images than the run's; give the run's folder with --data mnist:DIR\n$/)
    expect(existsSync(join(work, 'resumed2'))).toBe(false)
  })
})

describe('refusals: one line, exit 2, nothing written', () => {
  const gzip = mnistFolder('gzip', 120, (files) => {
    files['train-images-idx3-ubyte'] = Uint8Array.of(0x1f, 0x8b, 8, 8, 0, 0, 0, 0)
  })
  const truncated = mnistFolder('truncated', 120, (files) => {
    files['t10k-images-idx3-ubyte'] = files['t10k-images-idx3-ubyte']!.subarray(0, 1000)
  })
  const counts = mnistFolder('counts', 120, (files) => {
    files['train-labels-idx1-ubyte'] = encodeIdx([119], new Uint8Array(119))
  })
  const missing = mnistFolder('missing')
  rmSync(join(missing, 't10k-labels-idx1-ubyte'))
  it.each<readonly [string, ReadonlyArray<string>, RegExp]>([
    ['a missing folder', ['--data', `mnist:${join(work, 'absent')}`, ...small], /^pure-gan train: --data mnist:.*absent: cannot read the folder \(ENOENT\); it must hold train-images-idx3-ubyte, /],
    ['a missing file', ['--data', `mnist:${missing}`, ...small], /t10k-labels-idx1-ubyte does not exist; an MNIST folder holds the four uncompressed files /],
    ['a gzip file', ['--data', `mnist:${gzip}`, ...small], /train-images-idx3-ubyte: not an IDX file: the magic number is 0x1F 0x8B 0x08 0x08, expected .* \(the file is gzip-compressed: decompress it first\)$/],
    ['a truncated file', ['--data', `mnist:${truncated}`, ...small], /t10k-images-idx3-ubyte: truncated: the header promises 15680 bytes of data, the file has 984$/],
    ['images and labels of different counts', ['--data', `mnist:${counts}`, ...small], /the images file holds 120 images, the labels file 119 labels \(the counts must be equal\)$/],
    ['an empty folder name', ['--data', 'mnist:', ...small], /^pure-gan train: --data mnist:DIR needs a folder after mnist:$/],
    ["the seed's generator (2 outputs)", ['--data', `mnist:${folder}`], /^pure-gan train: these settings cannot run: generator\.layers: the last layer must have 784 units \(the data's width\), got 2$/],
    ['more training rows than the folder has', ['--data', `mnist:${folder}`, ...small, '--data-size', '101'], /data\.validation \+ data\.size is 20 \+ 101 = 121, more than the 120 images supplied$/],
  ])('%s', (_name, args, message) => {
    const out = join(work, 'refused')
    const r = runInProcess(['train', ...args, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(isOneLine(r.stderr)).toBe(true)
    expect(r.stderr.trimEnd()).toMatch(message)
    expect(hasStackTrace(r)).toBe(false)
    expect(existsSync(out)).toBe(false)
  })

  it('a sweep does not train on MNIST, and says so', () => {
    // a sweep runs only through the asynchronous command (workers): the built binary
    const r = runBuilt(['sweep', '--seeds', '0..1', '--data', `mnist:${folder}`, ...small, '--out', join(work, 'sweep')], { timeoutMs: 60_000 })
    expect(r.code).toBe(2)
    expect(isOneLine(r.stderr)).toBe(true)
    expect(r.stderr).toMatch(/this command cannot train on MNIST's images \(pure-gan train can\)/)
    expect(existsSync(join(work, 'sweep'))).toBe(false)
  })

  it("verify's --data takes only MNIST's images, and only for a run on MNIST", () => {
    const r = runInProcess(['verify', join(work, 'x.json'), '--data', 'ring8'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("pure-gan verify: verify's --data must be mnist or mnist:DIR (the images of a run on MNIST), got ring8\n")
  })
})

describe('train --classifier FILE: the field\'s numbers in digit-metrics.json', () => {
  const classifierFile = join(work, 'classifier.json')
  const made = runInProcess(['classifier', '--data', `mnist:${folder}`, '--out', classifierFile, '--epochs', '1', '--quiet'])
  const scored = (out: string, extra: ReadonlyArray<string> = []) =>
    runInProcess(['train', '--data', `mnist:${folder}`, ...small, '--epochs', '2', '--out', out, '--quiet', '--classifier', classifierFile, '--eval-samples', '40', ...extra])

  it('scores the generator at each snapshot epoch, gives the real digits\' values and the Parzen estimate, the same bytes twice', () => {
    expect(made.code).toBe(0)
    const out = join(work, 'scored')
    const r = scored(out)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const m = JSON.parse(readFileSync(join(out, 'digit-metrics.json'), 'utf8'))
    expect(m.format).toBe('pure-gan/digit-metrics')
    expect(m.classifier).toBe(createHash('sha256').update(readFileSync(classifierFile)).digest('hex'))
    expect(m.epochs.map((e: { epoch: number; samples: number }) => [e.epoch, e.samples])).toEqual([[1, 40], [2, 40]])
    for (const e of m.epochs) {
      // exp of a mean KL: between 1 and the 10 classes
      expect(e.classifierScore).toBeGreaterThanOrEqual(1)
      expect(e.classifierScore).toBeLessThanOrEqual(10)
      expect(e.fid).toBeGreaterThanOrEqual(0)
    }
    expect(m.parzen.samples).toBe(40)
    expect(m.parzen.sigmas).toHaveLength(10)
    expect(m.parzen.sigmas.map((s: { sigma: number }) => s.sigma)).toContain(m.parzen.sigma)
    expect(Number.isFinite(m.reference.classifierScore)).toBe(true)
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).toContain("<h2>The classifier's numbers</h2>")
    expect(html).toContain('adversarial nets 225 ± 2')
    // run.json is the run's alone: the same as without the classifier
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(readFileSync(join(work, 'run', 'run.json'), 'utf8'))
    const again = join(work, 'scored-again')
    expect(scored(again).code).toBe(0)
    expect(readFileSync(join(again, 'digit-metrics.json'), 'utf8')).toBe(readFileSync(join(out, 'digit-metrics.json'), 'utf8'))
  })

  it.each<readonly [string, ReadonlyArray<string>, RegExp]>([
    ['--classifier on other data', ['train', '--data', 'ring8', '--classifier', classifierFile], /^pure-gan train: --classifier scores generated digits: it needs MNIST data \(--data mnist, mnist:DIR or --preset goodfellow2014-mnist\), got --data ring8$/],
    ['--eval-samples alone', ['train', '--data', `mnist:${folder}`, ...small, '--eval-samples', '10'], /^pure-gan train: --eval-samples goes with --classifier FILE/],
    ['--eval-samples 1', ['train', '--data', `mnist:${folder}`, ...small, '--classifier', classifierFile, '--eval-samples', '1'], /^pure-gan train: --eval-samples must be an integer in 2\.\.100000, got "1"$/],
    ['a file that is no classifier', ['train', '--data', `mnist:${folder}`, ...small, '--classifier', join(folder, 'train-labels-idx1-ubyte')], /^pure-gan train: --classifier .*train-labels-idx1-ubyte: /],
    ['a missing classifier file', ['train', '--data', `mnist:${folder}`, ...small, '--classifier', join(work, 'absent.json')], /^pure-gan train: cannot read .*absent\.json \(ENOENT\)$/],
  ])('refuses %s: one line, exit 2, nothing written', (_name, args, message) => {
    const out = join(work, 'refused-classifier')
    const r = runInProcess([...args, '--out', out])
    expect(r.code).toBe(2)
    expect(isOneLine(r.stderr)).toBe(true)
    expect(r.stderr.trimEnd()).toMatch(message)
    expect(hasStackTrace(r)).toBe(false)
    expect(existsSync(out)).toBe(false)
  })
})

describe('--classifier on pixels in -1..1', () => {
  it('is refused: the classifier reads pixels in 0..1', () => {
    const files = readMnistFolder(folder)
    const spec = { kind: 'mnist', digest: files.digest, width: 784, size: 100, validation: 20, scale: '-1..1' } as const
    expect(() => digitEvaluationSetup(join(work, 'classifier.json'), spec, files, 10, 0)).toThrow(
      "--classifier scores digits with pixels in 0..1, as pure-gan classifier trains on them; this run's data.scale is -1..1",
    )
  })
})
