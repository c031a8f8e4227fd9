import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFile, chmod, chown, copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Client } from 'pg'
import { binariesPackage, PASSWORD, USER, type EmbeddedDatabase } from './embedded-postgres'

/**
 * What a base backup leaves out (PostgreSQL's "Making a Base Backup Using the Low Level API"): the
 * server's lock and options, and the contents of these directories. The WAL comes by streaming from the
 * replication slot made before the backup began, which keeps it on the primary until the replica has it.
 */
const SKIPPED_FILES = new Set(['postmaster.pid', 'postmaster.opts'])
const EMPTIED_DIRS = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_stat_tmp',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_subtrans',
])

async function copyTree(
  from: string,
  to: string,
  owner: { uid: number; gid: number } | null,
  top: boolean,
): Promise<void> {
  await mkdir(to, { recursive: true })
  if (owner) await chown(to, owner.uid, owner.gid)
  const entries = await readdir(from, { withFileTypes: true }).catch(gone([]))
  for (const entry of entries) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    if (entry.isDirectory()) {
      if (top && EMPTIED_DIRS.has(entry.name)) {
        await mkdir(target, { recursive: true })
        if (owner) await chown(target, owner.uid, owner.gid)
        // pg_wal keeps its subdirectories (archive_status, summaries); a slot's directory is its state.
        if (entry.name !== 'pg_wal') continue
        for (const sub of await readdir(source, { withFileTypes: true }).catch(gone([]))) {
          if (!sub.isDirectory()) continue
          await mkdir(join(target, sub.name), { recursive: true })
          if (owner) await chown(join(target, sub.name), owner.uid, owner.gid)
        }
        continue
      }
      await copyTree(source, target, owner, false)
    } else if (entry.isFile() && !(top && SKIPPED_FILES.has(entry.name))) {
      // A running server creates and removes temporary files as we copy: one gone is no loss.
      const copied = await copyFile(source, target).then(
        () => true,
        gone(false),
      )
      if (copied && owner) await chown(target, owner.uid, owner.gid)
    }
  }
}

function gone<T>(value: T): (error: unknown) => T {
  return (error: unknown) => {
    if ((error as { code?: string }).code === 'ENOENT') return value
    throw error
  }
}

export interface EmbeddedReplica extends EmbeddedDatabase {
  /** The replication slot on the primary that keeps the WAL this replica has not replayed yet. */
  slot: string
}

/**
 * Starts a streaming replica of an embedded PostgreSQL (startEmbeddedPostgres) on 127.0.0.1:`port`, for
 * tests and trying DATABASE_READ_URL locally. The package ships no pg_basebackup, so this is the low-level
 * base backup: a physical replication slot, `pg_backup_start`, a file copy of the primary's data
 * directory, `pg_backup_stop`'s label as `backup_label`, then `standby.signal` and `primary_conninfo`.
 * The primary needs what PostgreSQL's defaults give: `wal_level=replica`, `max_wal_senders` > 0 and
 * initdb's `host replication all 127.0.0.1/32` line. The slot stays on the primary after `stop()`
 * (dropped then if it can be): a primary kept long after its replica should drop it.
 */
export async function startEmbeddedReplica(options: {
  /** A URL of the primary, as startEmbeddedPostgres returned it (any database). */
  primaryUrl: string
  /** The primary's data directory. */
  primaryDataDir: string
  dataDir: string
  port: number
  database: string
  onLog?: (message: string) => void
}): Promise<EmbeddedReplica> {
  const primary = new URL(options.primaryUrl)
  const slot = `replica_${options.port}`
  const owner = process.getuid?.() === 0 ? await stat(options.primaryDataDir) : null
  const client = new Client({ connectionString: options.primaryUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_create_physical_replication_slot($1, true)', [slot])
    await client.query(`SELECT pg_backup_start('replica', true)`)
    await copyTree(options.primaryDataDir, options.dataDir, owner && { uid: owner.uid, gid: owner.gid }, true)
    const {
      rows: [stopped],
    } = await client.query<{ labelfile: string; spcmapfile: string }>(
      'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)',
    )
    await writeFile(join(options.dataDir, 'backup_label'), stopped.labelfile)
    if (stopped.spcmapfile) await writeFile(join(options.dataDir, 'tablespace_map'), stopped.spcmapfile)
  } finally {
    await client.end()
  }
  const conninfo = `host=${primary.hostname} port=${primary.port} user=${USER} password=${PASSWORD} application_name=${slot}`
  await appendFile(
    join(options.dataDir, 'postgresql.auto.conf'),
    `\n# startEmbeddedReplica\nprimary_conninfo = '${conninfo}'\nprimary_slot_name = '${slot}'\nhot_standby = on\n`,
  )
  await writeFile(join(options.dataDir, 'standby.signal'), '')
  if (owner) {
    for (const file of ['backup_label', 'tablespace_map', 'postgresql.auto.conf', 'standby.signal']) {
      await chown(join(options.dataDir, file), owner.uid, owner.gid).catch(gone(undefined))
    }
  }
  await chmod(options.dataDir, 0o700)

  // The package's start() waits for "ready to accept connections"; a standby says "read-only connections".
  const server = spawn(
    join(binariesPackage(), 'native', 'bin', 'postgres'),
    ['-D', options.dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1'],
    { ...(owner && { uid: owner.uid, gid: owner.gid }), env: { ...process.env, LC_MESSAGES: 'C' } },
  )
  const exited = once(server, 'exit')
  // Should this process end without stop() (a crash, a failed test run), the replica ends with it.
  const orphaned = () => server.kill('SIGINT')
  process.once('exit', orphaned)
  void exited.then(() => process.off('exit', orphaned))
  await new Promise<void>((resolve, reject) => {
    let log = ''
    server.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      options.onLog?.(text)
      log = (log + text).slice(-4000)
      if (log.includes('ready to accept read-only connections')) resolve()
    })
    void exited.then(() => reject(new Error(`the replica exited while starting:\n${log}`)))
  })
  let stopping: Promise<void> | null = null
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    slot,
    stop() {
      stopping ??= (async () => {
        if (server.exitCode === null && server.signalCode === null) {
          server.kill('SIGINT')
          await exited
        }
        const c = new Client({ connectionString: options.primaryUrl })
        try {
          await c.connect()
          await c.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [slot])
        } catch {
          // The primary is gone or the slot still busy: it goes with the primary.
        } finally {
          await c.end().catch(() => undefined)
        }
      })()
      return stopping
    },
  }
}
