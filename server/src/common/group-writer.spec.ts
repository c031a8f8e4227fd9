import { GroupWriter } from './group-writer'

describe('GroupWriter', () => {
  it('writes the items of one turn together, and those added meanwhile in the next group', async () => {
    const groups: number[][] = []
    let release!: () => void
    const writer = new GroupWriter<number, string>(async (items) => {
      groups.push(items)
      if (groups.length === 1) await new Promise<void>((r) => (release = r))
      return items.map((n) => `#${n}`)
    })
    const first = [writer.add(1), writer.add(2), writer.add(3)]
    await new Promise((r) => setImmediate(r))
    // The first group is being written: these wait for it, then go in one group.
    const second = [writer.add(4), writer.add(5)]
    expect(groups).toEqual([[1, 2, 3]])
    release()
    expect(await Promise.all([...first, ...second])).toEqual(['#1', '#2', '#3', '#4', '#5'])
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ])
    // Idle again: the next item is written on its own, in the next turn.
    expect(await writer.add(6)).toBe('#6')
    expect(groups).toHaveLength(3)
  })

  it('fails every item of a group whose write fails, and goes on with the next', async () => {
    let fail = true
    const writer = new GroupWriter<number, number>(async (items) => {
      if (fail) throw new Error('database gone')
      return items
    })
    const failed = Promise.allSettled([writer.add(1), writer.add(2)])
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected'])
    fail = false
    expect(await writer.add(3)).toBe(3)
  })
})
