#!/usr/bin/env node
/**
 * The `pure-gan` command: `train` and `verify`. Exit codes: 0 success, 1 a failed run or
 * verification, 2 bad input (the message names the problem and the allowed values).
 *
 * @module
 */
import { UsageError, parseTrainArgs } from './flags.js'
import { trainCommand } from './train-command.js'
import { verifyCommand, verifyHelp } from './verify-command.js'
import { packageVersion } from './version.js'

const mainHelp = (): string =>
  [
    'usage: pure-gan <command> [flags]',
    '',
    'Commands:',
    '  train            train the seed GAN (or your settings) and write a run folder',
    '  verify RUN.json  re-run a recorded run and check it is bit-identical',
    '',
    'pure-gan <command> --help shows each command’s flags, defaults and ranges.',
    '  --version        print the version',
  ].join('\n')

const run = (argv: ReadonlyArray<string>): number => {
  const [command, ...rest] = argv
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${mainHelp()}\n`)
      return 0
    case '--version':
      process.stdout.write(`${packageVersion()}\n`)
      return 0
    case 'train':
      return trainCommand(parseTrainArgs(rest))
    case 'verify': {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${verifyHelp()}\n`)
        return 0
      }
      if (rest.length !== 1 || rest[0]!.startsWith('-')) throw new UsageError(`verify takes exactly one RUN.json path; ${verifyHelp().split('\n')[0]}`)
      return verifyCommand(rest[0]!, packageVersion())
    }
    default:
      throw new UsageError(`unknown command "${command}"; commands are train and verify (see pure-gan --help)`)
  }
}

try {
  process.exitCode = run(process.argv.slice(2))
} catch (e) {
  if (e instanceof UsageError) {
    const cmd = process.argv[2] === 'train' || process.argv[2] === 'verify' ? ` ${process.argv[2]}` : ''
    process.stderr.write(`pure-gan${cmd}: ${e.message}\n`)
    process.exitCode = 2
  } else {
    throw e
  }
}
