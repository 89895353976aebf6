/**
 * A one-node Slurm cluster on this machine, for the test of docs/cluster.md's job array:
 * munged (if not running), slurmctld and slurmd with a minimal slurm.conf naming this host,
 * in a fresh folder. Needs Debian's `slurmctld`, `slurmd`, `slurm-client` and `munge`, and
 * root (slurmd runs jobs as their user). `startSlurm` says why it cannot start instead of
 * throwing, so that the test can skip with that reason.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { cpus, hostname, tmpdir } from 'node:os'
import { join } from 'node:path'

/** A running cluster: its config file (for SLURM_CONF) and how to stop it. */
export interface Slurm {
  readonly conf: string
  readonly env: Record<string, string>
  readonly stop: () => void
}

const which = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0

/** Runs `cmd` and returns its stdout, or null when it fails. */
const tryRun = (cmd: string, args: ReadonlyArray<string>, env?: Record<string, string>): string | null => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 })
  return r.status === 0 ? r.stdout : null
}

/** Starts the cluster, or returns why it cannot. */
export const startSlurm = (): Slurm | { readonly unavailable: string } => {
  const missing = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'munged', 'munge'].filter((b) => !which(b))
  if (missing.length > 0) return { unavailable: `Slurm is not installed (missing ${missing.join(', ')}; apt-get install slurmctld slurmd slurm-client munge)` }
  if (process.getuid?.() !== 0) return { unavailable: 'Slurm needs root to start slurmd on this machine' }
  const dir = mkdtempSync(join(tmpdir(), 'pure-gan-slurm-'))
  const host = hostname().split('.')[0]!
  const conf = join(dir, 'slurm.conf')
  mkdirSync(join(dir, 'state'))
  mkdirSync(join(dir, 'spool'))
  writeFileSync(
    conf,
    [
      'ClusterName=puregantest',
      // addresses given, so that nothing depends on the host name resolving (containers)
      `SlurmctldHost=${host}(127.0.0.1)`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      'SlurmctldPort=16817',
      'SlurmdPort=16818',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'MpiDefault=none',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus().length} State=UNKNOWN`,
      `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  )
  // munge: its daemon may already run (the machine's); else start it as the munge user
  if (tryRun('munge', ['-n']) === null) {
    mkdirSync('/run/munge', { recursive: true })
    spawnSync('chown', ['munge:munge', '/run/munge'])
    if (tryRun('runuser', ['-u', 'munge', '--', 'munged']) === null && tryRun('munged', ['--force']) === null) return { unavailable: 'munged could not be started' }
  }
  const env = { SLURM_CONF: conf }
  if (tryRun('slurmctld', ['-f', conf], env) === null) return { unavailable: `slurmctld could not be started (see ${dir}/slurmctld.log)` }
  if (tryRun('slurmd', ['-f', conf], env) === null) return { unavailable: `slurmd could not be started (see ${dir}/slurmd.log)` }
  // wait for the node to be idle
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const state = tryRun('sinfo', ['-h', '-o', '%T'], env)
    if (state !== null && /idle|mixed/.test(state)) break
    execFileSync('sleep', ['0.5'])
  }
  const stop = (): void => {
    for (const pid of ['slurmd.pid', 'slurmctld.pid']) {
      const file = join(dir, pid)
      if (existsSync(file)) spawnSync('sh', ['-c', `kill $(cat ${file}) 2>/dev/null`])
    }
  }
  return { conf, env, stop }
}

/** Waits until Slurm's queue holds no job of `jobId` (the whole array), up to `ms`; false at the time limit. */
export const waitForJob = (slurm: Slurm, jobId: string, ms: number): boolean => {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const queued = tryRun('squeue', ['-h', '-j', jobId], slurm.env)
    if (queued !== null && queued.trim() === '') return true
    execFileSync('sleep', ['1'])
  }
  return false
}
