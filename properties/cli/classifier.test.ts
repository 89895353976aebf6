/**
 * `pure-gan classifier`: trains the digit classifier on an MNIST folder (here synthetic IDX
 * files built with encodeIdx, small enough to train in a moment), writes it, prints its test
 * accuracy, and `--evaluate` reads the file back to the same accuracy; every bad command line
 * or folder is one line on stderr, exit code 2, and nothing written.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeDigitClassifier } from '../../src/classifier/index.js'
import * as E from '../../src/fp/either.js'
import { encodeIdx } from '../../src/validate/idx.js'
import { BUILT_MAIN, folderSnapshot, hasStackTrace, isOneLine, runBuilt, runInProcess } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-classifier-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/**
 * `count` synthetic 28 x 28 digits: digit k (k = i mod 10) lights rows 2k..2k+3 of its image
 * (value 200 + a little of i), everything else dark; easily told apart.
 */
const digits = (count: number, offset: number): { readonly images: Uint8Array; readonly labels: Uint8Array } => {
  const images = new Uint8Array(count * 784)
  const labels = new Uint8Array(count)
  for (let i = 0; i < count; i++) {
    const k = (i + offset) % 10
    labels[i] = k
    for (let r = 2 * k; r < 2 * k + 4; r++) for (let c = 4; c < 24; c++) images[i * 784 + r * 28 + c] = 200 + ((i * 7 + c) % 50)
  }
  return { images, labels }
}

/** A folder of the four MNIST files: 200 training digits, 50 test digits. */
const mnistFolder = (name: string): string => {
  const dir = join(work, name)
  mkdirSync(dir)
  const train = digits(200, 0)
  const test = digits(50, 3)
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx([200, 28, 28], train.images))
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([200], train.labels))
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([50, 28, 28], test.images))
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([50], test.labels))
  return dir
}

const data = mnistFolder('mnist')
const outDir = join(work, 'out')
mkdirSync(outDir)

describe('pure-gan classifier', () => {
  it('trains on the folder, writes the classifier, prints its test accuracy; --evaluate reads it back to the same accuracy', () => {
    const file = join(outDir, 'c.json')
    const r = runInProcess(['classifier', '--data', `mnist:${data}`, '--out', file, '--epochs', '3', '--seed', '7', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const printed = JSON.parse(r.stdout)
    expect(printed).toMatchObject({ file, architecture: [784, 512, 256, 10], epochs: 3, seed: 7, trainRows: 200, testRows: 50 })
    expect(printed.mnistDigest).toMatch(/^[0-9a-f]{64}$/)
    // 10 well-separated classes: far above chance (0.1)
    expect(printed.testAccuracy).toBeGreaterThan(0.5)
    expect(printed.correct).toBe(Math.round(printed.testAccuracy * 50))
    const c = decodeDigitClassifier(readFileSync(file, 'utf8'))
    expect(E.isRight(c)).toBe(true)
    if (E.isRight(c)) expect(c.right.training).toEqual({ rows: 200, epochs: 3, batchSize: 100, learningRate: 0.001 })
    const e = runInProcess(['classifier', '--data', `mnist:${data}`, '--evaluate', file, '--json'])
    expect(e.code).toBe(0)
    const evaluated = JSON.parse(e.stdout)
    expect(evaluated).toMatchObject({ testAccuracy: printed.testAccuracy, correct: printed.correct, testRows: 50, trainRows: 50 })
    // the reference values of real digits: a score in [1, 10], a distance >= 0
    expect(evaluated.testScore).toBeGreaterThanOrEqual(1)
    expect(evaluated.testScore).toBeLessThanOrEqual(10)
    expect(evaluated.testTrainFrechet).toBeGreaterThanOrEqual(0)
  })

  it('the same seed writes the same file, byte for byte; --train-size trains on the first N digits only', () => {
    const a = join(outDir, 'a.json')
    const b = join(outDir, 'b.json')
    expect(runInProcess(['classifier', '--data', `mnist:${data}`, '--out', a, '--epochs', '1', '--train-size', '60', '--quiet']).code).toBe(0)
    const r = runInProcess(['classifier', '--data', `mnist:${data}`, '--out', b, '--epochs', '1', '--train-size', '60'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^trained 784 → 512 → 256 → 10 for 1 epoch on 60 digits \(seed 0\) in \d+\.\d s\ntest accuracy [0-9.]+ \(\d+ of 50\)\nwrote .+\n$/)
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'))
    expect(JSON.parse(readFileSync(a, 'utf8')).training.rows).toBe(60)
  })

  it('--force replaces an existing file', () => {
    const file = join(outDir, 'forced.json')
    writeFileSync(file, 'old')
    expect(runInProcess(['classifier', '--data', `mnist:${data}`, '--out', file, '--epochs', '1', '--force', '--quiet']).code).toBe(0)
    expect(E.isRight(decodeDigitClassifier(readFileSync(file, 'utf8')))).toBe(true)
  })

  it('--help prints the flags and exits 0', () => {
    const r = runInProcess(['classifier', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('usage: pure-gan classifier --out FILE')
    expect(r.stdout).toContain('comparable only within pure-gan')
  })
})

describe('refusals: one line, exit 2, nothing written', () => {
  const missingFile = mnistFolder('no-test-labels')
  rmSync(join(missingFile, 't10k-labels-idx1-ubyte'))
  const gzip = mnistFolder('gzip')
  writeFileSync(join(gzip, 't10k-images-idx3-ubyte'), Uint8Array.of(0x1f, 0x8b, 8, 8, 0, 0))
  const wrongCount = mnistFolder('wrong-count')
  writeFileSync(join(wrongCount, 'train-labels-idx1-ubyte'), encodeIdx([199], new Uint8Array(199)))
  const existing = join(outDir, 'existing.json')
  writeFileSync(existing, 'keep me')
  const notClassifier = join(work, 'not-a-classifier.json')
  writeFileSync(notClassifier, '{"format":"pure-gan/gan-state","version":1}')
  const out = join(outDir, 'never.json')

  it.each([
    ['a missing folder', ['--data', `mnist:${join(work, 'absent')}`, '--out', out], /^pure-gan classifier: --data mnist:.*absent: cannot read the folder \(ENOENT\); it must hold train-images-idx3-ubyte, /],
    ['a missing file', ['--data', `mnist:${missingFile}`, '--out', out], /^pure-gan classifier: .*t10k-labels-idx1-ubyte does not exist; an MNIST folder holds the four uncompressed files /],
    ['a compressed file', ['--data', `mnist:${gzip}`, '--out', out], /t10k-images-idx3-ubyte: not an IDX file: .*\(the file is gzip-compressed: decompress it first\)$/],
    ['images and labels of different counts', ['--data', `mnist:${wrongCount}`, '--out', out], /train-images-idx3-ubyte and train-labels-idx1-ubyte: the images file holds 200 images, the labels file 199 labels \(the counts must be equal\)$/],
    ['another --data', ['--data', 'ring8', '--out', out], /^pure-gan classifier: --data must be mnist or mnist:DIR here, got ring8$/],
    ['no --out', ['--data', `mnist:${data}`], /^pure-gan classifier: --out FILE is required/],
    ['--epochs 0', ['--data', `mnist:${data}`, '--out', out, '--epochs', '0'], /^pure-gan classifier: --epochs must be an integer in 1\.\.10000, got "0"$/],
    ['--epochs abc', ['--data', `mnist:${data}`, '--out', out, '--epochs', 'abc'], /^pure-gan classifier: --epochs must be an integer in 1\.\.10000, got "abc"$/],
    ['--seed -1', ['--data', `mnist:${data}`, '--out', out, '--seed=-1'], /^pure-gan classifier: --seed must be an integer in 0\.\.4294967295, got "-1"$/],
    ['--train-size above the digits there are', ['--data', `mnist:${data}`, '--out', out, '--train-size', '201'], /^pure-gan classifier: --train-size 201 is more than the 200 training digits in /],
    ['an unknown flag', ['--data', `mnist:${data}`, '--out', out, '--hidden', '3'], /^pure-gan classifier: unknown flag --hidden; see pure-gan classifier --help$/],
    ['a flag given twice', ['--out', out, '--out', out], /^pure-gan classifier: --out is given twice; give each flag at most once$/],
    ['an --out in a missing folder', ['--data', `mnist:${data}`, '--out', join(work, 'absent', 'c.json')], /^pure-gan classifier: --out .* its folder .*absent does not exist; create it first$/],
    ['an --out that exists, without --force', ['--data', `mnist:${data}`, '--out', existing], /^pure-gan classifier: --out .*existing\.json exists; give --force to replace it$/],
    ['--evaluate with a training flag', ['--data', `mnist:${data}`, '--evaluate', existing, '--epochs', '2'], /^pure-gan classifier: --epochs cannot be combined with --evaluate/],
    ['--evaluate of a file that is not a classifier', ['--data', `mnist:${data}`, '--evaluate', notClassifier], /^pure-gan classifier: .*not-a-classifier\.json: format must be "pure-gan\/digit-classifier", found "pure-gan\/gan-state"$/],
  ])('%s', (_name, args, message) => {
    const before = folderSnapshot(outDir)
    const r = runInProcess(['classifier', ...args])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(isOneLine(r.stderr)).toBe(true)
    expect(r.stderr.trimEnd()).toMatch(message)
    expect(hasStackTrace(r)).toBe(false)
    expect(folderSnapshot(outDir)).toEqual(before)
    expect(existsSync(out)).toBe(false)
  })

  it('the built command: a bad flag is one line and exit 2 (run npm run build first)', () => {
    expect(existsSync(BUILT_MAIN)).toBe(true)
    const r = runBuilt(['classifier', '--data', `mnist:${data}`, '--out', out, '--epochs', '0'], { timeoutMs: 60_000 })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('pure-gan classifier: --epochs must be an integer in 1..10000, got "0"\n')
    expect(existsSync(out)).toBe(false)
  })
})
