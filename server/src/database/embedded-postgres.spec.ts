import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openTraversal } from './embedded-postgres'

describe('opening the way to the embedded PostgreSQL for the postgres user', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mq-traversal-'))
    await chmod(root, 0o755)
  })
  afterEach(() => rm(root, { recursive: true, force: true }))

  it('adds o+x (and nothing else) to each closed directory above the targets, once, and says so', async () => {
    // A private home (0700) holding a checkout whose data directory sits in an open one.
    const home = join(root, 'home')
    await mkdir(join(home, 'checkout', '.data', 'pg'), { recursive: true, mode: 0o755 })
    await mkdir(join(home, 'checkout', 'node_modules', 'pkg'), { recursive: true, mode: 0o755 })
    await mkdir(join(root, 'open'), { mode: 0o755 })
    await chmod(home, 0o700)
    await chmod(join(home, 'checkout'), 0o750)

    const lines: string[] = []
    await openTraversal(
      [join(home, 'checkout', '.data', 'pg'), join(home, 'checkout', 'node_modules', 'pkg')],
      (l) => lines.push(l),
    )

    expect((await stat(home)).mode & 0o777).toBe(0o701)
    expect((await stat(join(home, 'checkout'))).mode & 0o777).toBe(0o751)
    expect((await stat(join(home, 'checkout', '.data'))).mode & 0o777).toBe(0o755)
    expect(lines.sort()).toEqual(
      [home, join(home, 'checkout')].map((dir) =>
        expect.stringContaining(`opened ${dir} for traversal (chmod o+x)`),
      ),
    )
    // Nothing left to open: nothing changed, nothing said.
    const again: string[] = []
    await openTraversal([join(home, 'checkout', '.data', 'pg')], (l) => again.push(l))
    expect(again).toEqual([])
  })
})
