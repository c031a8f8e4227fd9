import type { PlaceView } from '@mq/shared'
import { buildTree, countUnder, initiallyExpanded, pathTo, reorderPatches, visibleRows } from './place-tree'

let n = 0
function place(kind: PlaceView['kind'], name: string, parentId: string | null, sortOrder = 0, retired = false): PlaceView {
  n += 1
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, kind, parentId, name, sortOrder, retired, qrToken: null }
}

const community = place('community', '石灰桥社区', '00000000-0000-4000-8000-999999999999')
const compound = place('compound', '石灰桥新村', community.id)
const b2 = place('building', '2幢', compound.id, 2)
const b1 = place('building', '1幢', compound.id, 1)
const u1 = place('unit', '1单元', b1.id, 1)
const u2 = place('unit', '2单元', b1.id, 2)
const old = place('building', '旧楼', compound.id, 3, true)
const ALL = [community, compound, b2, b1, u1, u2, old]

describe('place tree', () => {
  it('roots at places whose parent is outside the list, children in sort order, retired ones hidden', () => {
    const roots = buildTree(ALL, false)
    expect(roots.map((r) => r.place.name)).toEqual(['石灰桥社区'])
    const buildings = roots[0].children[0].children.map((c) => c.place.name)
    expect(buildings).toEqual(['1幢', '2幢'])
    expect(buildTree(ALL, true)[0].children[0].children.map((c) => c.place.name)).toEqual(['1幢', '2幢', '旧楼'])
    expect(countUnder(roots[0].children[0])).toEqual({ buildings: 2, units: 2 })
  })

  it('opens everything above buildings at first, and lists what is open', () => {
    const roots = buildTree(ALL, false)
    const rows = visibleRows(roots, initiallyExpanded(ALL))
    expect(rows.map((r) => `${r.depth}:${r.node.place.name}`)).toEqual(['0:石灰桥社区', '1:石灰桥新村', '2:1幢', '2:2幢'])
  })

  it('finds the path to a place', () => {
    expect(pathTo(ALL, u2.id).map((p) => p.name)).toEqual(['石灰桥社区', '石灰桥新村', '1幢', '2单元'])
  })

  it('moves a place among its siblings by renumbering only what changed', () => {
    const siblings = [b1, b2]
    expect(reorderPatches(siblings, b2.id, -1)).toEqual([
      { id: b2.id, sortOrder: 1 },
      { id: b1.id, sortOrder: 2 },
    ])
    expect(reorderPatches(siblings, b1.id, -1)).toEqual([])
    expect(reorderPatches(siblings, b2.id, 1)).toEqual([])
    // Equal sort orders (e.g. all 0 after an import) become 1, 2, 3.
    const flat = [{ ...b1, sortOrder: 0 }, { ...b2, sortOrder: 0 }, { ...old, sortOrder: 0 }]
    expect(reorderPatches(flat, old.id, -1)).toEqual([
      { id: b1.id, sortOrder: 1 },
      { id: old.id, sortOrder: 2 },
      { id: b2.id, sortOrder: 3 },
    ])
  })
})
