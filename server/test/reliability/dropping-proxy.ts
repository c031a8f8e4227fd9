/**
 * A TCP proxy on 127.0.0.1 that loses answers the server already gave: each client connection gets its
 * own upstream connection; the server's bytes are held until the server closes its side (the client sent
 * `Connection: close`, so the whole response has been written: the server handled the request and
 * committed). Then, with probability `dropRate`, the client's socket is reset instead of getting them.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'

export interface DroppingProxy {
  url: string
  /** Responses the server completed and the client never got. */
  dropped(): number
  /** Responses forwarded whole. */
  forwarded(): number
  close(): Promise<void>
}

export async function startDroppingProxy(options: {
  upstreamPort: number
  dropRate: number
  random: () => number
}): Promise<DroppingProxy> {
  let dropped = 0
  let forwarded = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    sockets.add(client)
    const upstream = connect({ host: '127.0.0.1', port: options.upstreamPort })
    sockets.add(upstream)
    const held: Buffer[] = []
    let clientGone = false
    client.on('close', () => {
      clientGone = true
      sockets.delete(client)
      upstream.destroy()
    })
    upstream.on('close', () => sockets.delete(upstream))
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    client.on('data', (chunk: Buffer) => upstream.write(chunk))
    upstream.on('data', (chunk: Buffer) => held.push(chunk))
    upstream.on('end', () => {
      if (clientGone) return
      if (held.length > 0 && options.random() < options.dropRate) {
        dropped++
        client.resetAndDestroy() // the answer was written by the server; the client never sees it
      } else {
        if (held.length > 0) forwarded++
        client.end(Buffer.concat(held))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    dropped: () => dropped,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
