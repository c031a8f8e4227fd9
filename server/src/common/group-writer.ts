/**
 * Writes items in groups, one statement per group rather than per item: an item waits for the end of the
 * current turn of the event loop (the items added in that turn go with it), and items added while a group
 * is being written go together in the next group. Under light load each item is written at once; under
 * load the groups grow with it (as PostgreSQL's group commit does).
 *
 * `write` answers one result per item, in the items' order; if it throws, every item of its group fails.
 */
export class GroupWriter<T, R> {
  private waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = []
  private writing = false

  constructor(private readonly write: (items: T[]) => Promise<R[]>) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      if (!this.writing) {
        this.writing = true
        setImmediate(() => void this.drain())
      }
    })
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.waiting
      this.waiting = []
      try {
        const results = await this.write(group.map((g) => g.item))
        group.forEach((g, i) => g.resolve(results[i]))
      } catch (error) {
        for (const g of group) g.reject(error)
      }
    }
    this.writing = false
  }
}
