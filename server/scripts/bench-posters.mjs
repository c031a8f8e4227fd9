#!/usr/bin/env node
// Benchmark (not a test): the PDF of a 1,000-unit compound, through PostersService and a real PostgreSQL.
// Run on the built server:  cd server && npx tsc -p tsconfig.build.json && node scripts/bench-posters.mjs
// Uses a throwaway embedded PostgreSQL in a temporary directory, or, with DATABASE_URL, a throwaway
// database on that server (created and dropped). Prints
//   BENCH poster_pdf_1000_s <seconds> s        (cold: includes loading the fonts, as a first request would)
//   BENCH poster_pdf_1000_rss_mb <peak RSS> MB (peak resident memory of this process)
import { randomBytes, randomUUID } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
// The build next to this script, or the one the bench measures (BENCH_SERVER_DIST, see bench/run.mjs).
const dist = process.env.BENCH_SERVER_DIST
  ? resolve(process.env.BENCH_SERVER_DIST)
  : resolve(fileURLToPath(import.meta.url), '..', '..', 'dist')
require('reflect-metadata')
const { Client } = require('pg')
const { DataSource } = require('typeorm')
const { loadConfig } = require(join(dist, 'config', 'config.js'))
const { dataSourceOptions, migrate } = require(join(dist, 'database', 'data-source.js'))
const { startEmbeddedPostgres } = require(join(dist, 'database', 'embedded-postgres.js'))
const { PosterUnits } = require(join(dist, 'places', 'poster-units.js'))
const { PostersService } = require(join(dist, 'posters', 'posters.service.js'))

const BUILDINGS = 50
const UNITS_PER_BUILDING = 20

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => done(port))
    })
  })
}

/** A migrated, throwaway database: { url, dispose() }. */
async function throwawayDatabase() {
  if (process.env.DATABASE_URL) {
    const name = `mq_bench_${process.pid}_${Date.now().toString(36)}`
    const admin = new Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = new URL(process.env.DATABASE_URL)
    url.pathname = `/${name}`
    await migrate(url.toString())
    return {
      url: url.toString(),
      async dispose() {
        const client = new Client({ connectionString: process.env.DATABASE_URL })
        await client.connect()
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await client.end()
      },
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'mq-bench-'))
  await chmod(dir, 0o755) // the postgres OS user must reach the data dir inside
  try {
    const db = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'mq_bench' })
    await migrate(db.url)
    return {
      url: db.url,
      async dispose() {
        await db.stop()
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** district → street → community → compound → BUILDINGS × UNITS_PER_BUILDING units, each with a token. */
async function seedCompound(dataSource) {
  const rows = []
  const add = (kind, name, parent, sortOrder = 0) => {
    const id = randomUUID()
    const path = [...(parent?.path ?? []), id]
    rows.push({ id, kind, name, parentId: parent?.id ?? null, sortOrder, path })
    return { id, path }
  }
  const district = add('district', '基准区', null)
  const street = add('street', '基准街道', district)
  const community = add('community', '基准社区', street)
  const compound = add('compound', '石灰桥新村', community)
  const units = []
  for (let b = 1; b <= BUILDINGS; b++) {
    const building = add('building', `${b}幢`, compound, b)
    for (let u = 1; u <= UNITS_PER_BUILDING; u++) units.push(add('unit', `${u}单元`, building, u))
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500)
    const values = chunk.map((_, j) => `($${j * 6 + 1}, $${j * 6 + 2}, $${j * 6 + 3}, $${j * 6 + 4}, $${j * 6 + 5}, $${j * 6 + 6}::uuid[])`)
    await dataSource.query(
      `INSERT INTO place (id, kind, name, parent_id, sort_order, path) VALUES ${values.join(', ')}`,
      chunk.flatMap((r) => [r.id, r.kind, r.name, r.parentId, r.sortOrder, r.path]),
    )
  }
  await dataSource.query(
    `INSERT INTO qr_code (token, unit_id) SELECT * FROM unnest($1::text[], $2::uuid[])`,
    [units.map(() => randomBytes(12).toString('base64url')), units.map((u) => u.id)],
  )
  return { compound, unitCount: units.length }
}

// Only publicUrl and hotline matter here; 'test' keeps production-only requirements (secrets) out of the way.
const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://mq.example.cn' })
const db = await throwawayDatabase()
let dataSource = null
try {
  dataSource = await new DataSource(dataSourceOptions(db.url)).initialize()
  const { compound, unitCount } = await seedCompound(dataSource)
  const posters = new PostersService(new PosterUnits(dataSource), config)
  const admin = [{ role: 'admin', placeId: compound.id, placePath: compound.path }]

  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024
  const start = process.hrtime.bigint()
  const pdf = await posters.compoundPdf(compound.id, admin)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const peakRssMb = process.resourceUsage().maxRSS / 1024

  if (pdf.pages !== unitCount) throw new Error(`expected ${unitCount} pages, got ${pdf.pages}`)
  console.log(
    `# ${pdf.pages} pages, ${(pdf.body.length / 1024 / 1024).toFixed(2)} MB PDF, RSS before ${rssBeforeMb.toFixed(0)} MB, Node ${process.version}`,
  )
  console.log(`BENCH poster_pdf_1000_s ${seconds.toFixed(2)} s`)
  console.log(`BENCH poster_pdf_1000_rss_mb ${peakRssMb.toFixed(0)} MB`)
} finally {
  await dataSource?.destroy()
  await db.dispose()
}
