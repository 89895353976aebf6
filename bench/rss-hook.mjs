// Preloaded with `node --import ./bench/rss-hook.mjs script.mjs` (into pure-gan's workloads and
// the baselines alike): on exit, writes the process's peak resident set size to stderr as
// one line `PEAK_RSS_KB <n>` (process.resourceUsage().maxRSS, in kilobytes).
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`)
})
