/**
 * A TCP proxy that can go silent: while frozen it forwards nothing either way and holds new connections
 * unanswered, without closing anything — a database behind a network partition, as the server sees it
 * (packets vanish; no reset, no refusal). thaw() lets everything through again.
 */
import { connect, createServer, type Socket } from 'node:net'

export interface FreezingProxy {
  port: number
  freeze(): void
  thaw(): void
  close(): Promise<void>
}

export async function startFreezingProxy(upstreamPort: number): Promise<FreezingProxy> {
  let frozen = false
  const pairs = new Set<[Socket, Socket]>()
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort })
    const pair: [Socket, Socket] = [client, upstream]
    pairs.add(pair)
    if (frozen) {
      client.pause()
      upstream.pause()
    }
    client.on('data', (chunk: Buffer) => upstream.write(chunk))
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('close', end)
    upstream.on('close', end)
    client.on('error', end)
    upstream.on('error', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    freeze() {
      frozen = true
      for (const [a, b] of pairs) {
        a.pause()
        b.pause()
      }
    },
    thaw() {
      frozen = false
      for (const [a, b] of pairs) {
        a.resume()
        b.resume()
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [a, b] of pairs) {
          a.destroy()
          b.destroy()
        }
        server.close(() => resolve())
      }),
  }
}
