// Front-end figures: the WeChat main package, the H5 JavaScript the scan page needs, and how long the
// scan page takes to become usable on a slow phone (headless Chromium, emulated network and CPU).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The newest modification time of any file below `dir` (0 if none). */
function newest(dir) {
  if (!existsSync(dir)) return 0
  let max = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') max = Math.max(max, newest(full))
    } else max = Math.max(max, statSync(full).mtimeMs)
  }
  return max
}

/**
 * A build of the miniapp for `type` no older than its sources (miniapp/src, shared/src, config): the
 * usual output if fresh, else the bench's own scratch build (TARO_OUTPUT_ROOT), rebuilt when stale.
 */
export function freshBuild(root, type, scratch, log) {
  const sources = Math.max(
    newest(join(root, 'miniapp', 'src')),
    newest(join(root, 'miniapp', 'config')),
    newest(join(root, 'shared', 'src')),
  )
  const marker = type === 'weapp' ? 'app.json' : 'index.html'
  for (const dir of [join(root, 'miniapp', 'dist', type), scratch]) {
    if (existsSync(join(dir, marker)) && statSync(join(dir, marker)).mtimeMs >= sources) return dir
  }
  log(`building the ${type} app into ${scratch} (no fresh build found)…`)
  const result = spawnSync('npx', ['taro', 'build', '--type', type], {
    cwd: join(root, 'miniapp'),
    env: { ...process.env, TARO_OUTPUT_ROOT: scratch },
    encoding: 'utf8',
  })
  if (result.status !== 0 || !existsSync(join(scratch, marker))) {
    throw new Error(
      `taro build --type ${type} failed:\n${(result.stdout ?? '') + (result.stderr ?? '')}`.slice(-4000),
    )
  }
  return scratch
}

/** The main package in KB, as miniapp/scripts/weapp-check.mjs counts it (printed whatever else it finds). */
export function weappMainKb(root, dir) {
  const result = spawnSync(process.execPath, [join(root, 'miniapp', 'scripts', 'weapp-check.mjs'), dir], {
    encoding: 'utf8',
  })
  const match = /size: main package ([\d.]+) KB/.exec(result.stdout ?? '')
  if (!match) throw new Error(`weapp-check printed no main package size:\n${result.stdout}${result.stderr}`)
  return Number(match[1])
}

/**
 * Opens `${baseUrl}/q/${token}` in a fresh browser context on the slow-phone profile (1.6 Mbps down /
 * 750 kbps up / 150 ms RTT, 4× CPU slowdown) and waits for the report button to be visible and enabled
 * (`ms`), then for the building's open requests to be listed when it has any (`listMs`). Returns those
 * times, the JavaScript fetched until the button (bytes, gzipped as a server would send it), and the API
 * calls the page made until the list: all of them and those for the open requests.
 */
export async function scanInteractive(root, baseUrl, qrToken, runs) {
  // playwright-core belongs to the end-to-end package (e2e/), which drives the same Chromium.
  const require = createRequire(join(root, 'e2e', 'package.json'))
  const { chromium } = require('playwright-core')
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const times = []
  const listTimes = []
  let js = null
  let api = null
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 375, height: 812 } })
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6e6 / 8) | 0,
        uploadThroughput: (750e3 / 8) | 0,
      })
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
      const scripts = []
      const calls = []
      let ready = false
      let settled = false
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname
        if (!settled && path.startsWith('/api/')) calls.push(`${request.method()} ${path}`)
      })
      page.on('response', (response) => {
        if (ready || response.request().resourceType() !== 'script') return
        scripts.push(
          response.body().then(
            (b) => ({ url: response.url(), raw: b.length, gzip: gzipSync(b).length }),
            () => null,
          ),
        )
      })
      const start = Date.now()
      await page.goto(`${baseUrl}/q/${qrToken}`, { waitUntil: 'commit' })
      const button = page.getByTestId('scan-report')
      await button.waitFor({ state: 'visible', timeout: 60_000 })
      while (!(await button.isEnabled())) await page.waitForTimeout(10)
      times.push(Date.now() - start)
      ready = true
      // The open requests of the building, when the scan view says there are some.
      if (await page.getByTestId('scan-building-open').isVisible()) {
        await page
          .locator('[data-testid="scan-building-list"], [data-testid="scan-building-empty"]')
          .first()
          .waitFor({ state: 'visible', timeout: 60_000 })
        listTimes.push(Date.now() - start)
      }
      settled = true
      api ??= {
        calls: calls.length,
        openRequestCalls: calls.filter((c) => c.startsWith('GET /api/requests/duplicates')).length,
        list: calls,
      }
      const files = (await Promise.all(scripts)).filter(Boolean)
      js ??= {
        files: files.length,
        rawKb: files.reduce((s, f) => s + f.raw, 0) / 1024,
        gzipKb: files.reduce((s, f) => s + f.gzip, 0) / 1024,
        list: files.map((f) => `${new URL(f.url).pathname} ${(f.gzip / 1024).toFixed(1)} KB`),
      }
      await context.close()
    }
  } finally {
    await browser.close()
  }
  times.sort((a, b) => a - b)
  listTimes.sort((a, b) => a - b)
  const listMs = listTimes.length > 0 ? listTimes[Math.floor(listTimes.length / 2)] : null
  return { ms: times[Math.floor(times.length / 2)], all: times, listMs, listAll: listTimes, js, api }
}

/**
 * The weapp and H5 builds of another commit (`ref`, e.g. the commit before a front-end change), for
 * before/after figures measured in one run on one machine: the commit's tree is exported with
 * `git archive` into `scratch`, its dependencies installed from pnpm's store, and both apps built there.
 * Kept between runs (keyed by the commit), so a second run measures at once.
 */
export function baselineBuilds(root, ref, scratch, log) {
  const run = (command, args, cwd, env = {}) => {
    const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 })
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${(result.stdout ?? '') + (result.stderr ?? '')}`.slice(-4000))
    }
    return result.stdout.trim()
  }
  const commit = run('git', ['rev-parse', '--verify', `${ref}^{commit}`], root)
  const dir = join(scratch, `baseline-${commit.slice(0, 12)}`)
  const weapp = join(dir, 'out', 'weapp')
  const h5 = join(dir, 'out', 'h5')
  if (existsSync(join(weapp, 'app.json')) && existsSync(join(h5, 'index.html'))) return { commit, weapp, h5 }
  log(`building the front end of ${commit.slice(0, 12)} (${ref}) as the baseline into ${dir}…`)
  spawnSync('rm', ['-rf', dir])
  spawnSync('mkdir', ['-p', dir])
  const archive = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C '${dir}'`], { cwd: root, encoding: 'utf8' })
  if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr}`)
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--filter', '@mq/miniapp...', '--filter', '@mq/shared'], dir, { CI: 'true' })
  run('pnpm', ['--filter', '@mq/shared', 'build'], dir)
  for (const [type, out] of [['weapp', weapp], ['h5', h5]]) {
    run('npx', ['taro', 'build', '--type', type], join(dir, 'miniapp'), { TARO_OUTPUT_ROOT: out })
  }
  return { commit, weapp, h5 }
}
