#!/usr/bin/env node
/**
 * The `pure-gan` command. For now one command, `train`, which trains the seed GAN with its
 * defaults and prints one line per epoch and the seed's final line. Flags, the run folder
 * and the report come with the command-line issue.
 *
 * @module
 */
import { seedConfig } from '../gan/config.js'
import { train } from '../gan/train.js'

const usage = 'usage: pure-gan train'

const runTrain = (): void => {
  const config = seedConfig
  let epochStart = performance.now()
  let lastRate = 0
  train(config, (report) => {
    const seconds = (performance.now() - epochStart) / 1000
    lastRate = report.examples / seconds
    process.stderr.write(
      `epoch ${report.epoch}/${config.epochs}  loss_D ${report.lossD.toFixed(4)}  loss_G ${report.lossG.toFixed(4)}  ${Math.round(lastRate)} examples/sec\n`,
    )
    if (report.epoch === config.epochs) {
      process.stdout.write(`loss_D ${report.lossD.toFixed(3)}, loss_G ${report.lossG.toFixed(3)}, ${Math.round(lastRate)} examples/sec\n`)
    }
    epochStart = performance.now()
  })
}

const [command, ...rest] = process.argv.slice(2)
if (command === '--help' || command === '-h') {
  process.stdout.write(`${usage}\n`)
} else if ((command === undefined || command === 'train') && rest.length === 0) {
  runTrain()
} else {
  process.stderr.write(`pure-gan: unknown arguments "${process.argv.slice(2).join(' ')}"; ${usage}\n`)
  process.exit(2)
}
