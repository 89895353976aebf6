#!/usr/bin/env node
/**
 * The `pure-gan` command. Placeholder until the command-line issue: it names the commands
 * that are coming and exits 0 so that `npm start` works.
 *
 * @module
 */
const [command] = process.argv.slice(2)
if (command === undefined || command === 'train' || command === '--help') {
  process.stdout.write('pure-gan: the command line is not built yet; import the library from "pure-gan".\n')
  process.exit(0)
}
process.stderr.write(`pure-gan: unknown command "${command}"; available: train\n`)
process.exit(2)
