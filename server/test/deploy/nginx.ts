import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { delimiter, join, resolve } from 'node:path'
import { freePort } from '../database'

/** The proxy settings a deployment includes (server/deploy/nginx/minqing-proxy.conf), used as they are. */
export const PROXY_SNIPPET = resolve(__dirname, '..', '..', 'deploy', 'nginx', 'minqing-proxy.conf')

/** nginx from Debian's packages. Missing is a failure, never a skip: CI installs it (.ci/run). */
export function findNginx(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']
  const found = dirs.map((dir) => join(dir, 'nginx')).find((path) => path && existsSync(path))
  if (!found) {
    throw new Error(
      'nginx is not installed: this test runs the instances behind nginx from Debian\'s packages ' +
        '(apt-get install nginx-light, or nginx); .ci/run installs it when missing. The test installs nothing itself.',
    )
  }
  return found
}

export interface Nginx {
  url: string
  dir: string
  stop(): Promise<void>
  errorLog(): string
}

/**
 * nginx on 127.0.0.1 in `dir` (config, pid, logs, temp files), in front of `upstreams`. Each response
 * carries `X-Upstream`: the instance(s) nginx tried, so a retry shows as "a, b".
 */
export async function startNginx(dir: string, upstreams: string[]): Promise<Nginx> {
  const binary = findNginx()
  await mkdir(join(dir, 'temp'), { recursive: true })
  const port = await freePort()
  const servers = upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=30s;`).join('\n')
  const conf = join(dir, 'nginx.conf')
  await writeFile(
    conf,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  upstream minqing_api {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://minqing_api;
      include ${PROXY_SNIPPET};
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`,
  )
  const check = spawnSync(binary, ['-t', '-q', '-p', dir, '-e', join(dir, 'error.log'), '-c', conf], { encoding: 'utf8' })
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`)
  const child: ChildProcess = spawn(binary, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`)
    const up = await fetch(`${url}/api/health/live`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (up) break
    if (i > 100) throw new Error(`nginx did not answer on ${url}: ${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url,
    dir,
    errorLog: () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''),
    async stop() {
      // The master process this test started, by its PID: SIGQUIT is nginx's graceful stop.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT')
      await exited
    },
  }
}
