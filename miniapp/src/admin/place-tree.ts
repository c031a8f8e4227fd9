/** The admin's places (a flat list with parentId) as a tree, and the small calculations around it. */
import type { PlaceView } from '@mq/shared'

export interface TreeNode {
  place: PlaceView
  children: TreeNode[]
}

/**
 * Roots are the places whose parent is outside the list (the admin's own community or compound).
 * Children keep the server's order (sort order, then name).
 */
export function buildTree(places: readonly PlaceView[], showRetired: boolean): TreeNode[] {
  const visible = places.filter((p) => showRetired || !p.retired)
  const nodes = new Map<string, TreeNode>(visible.map((place) => [place.id, { place, children: [] }]))
  const roots: TreeNode[] = []
  for (const place of visible) {
    const node = nodes.get(place.id)!
    const parent = place.parentId ? nodes.get(place.parentId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const byOrder = (a: TreeNode, b: TreeNode) =>
    a.place.sortOrder - b.place.sortOrder || a.place.name.localeCompare(b.place.name, 'zh-CN')
  const sort = (list: TreeNode[]) => {
    list.sort(byOrder)
    for (const node of list) sort(node.children)
  }
  sort(roots)
  return roots
}

export interface VisibleRow {
  node: TreeNode
  depth: number
}

/** The rows to draw: every root, and the children of expanded nodes. */
export function visibleRows(roots: readonly TreeNode[], expanded: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = []
  const walk = (nodes: readonly TreeNode[], depth: number) => {
    for (const node of nodes) {
      rows.push({ node, depth })
      if (expanded.has(node.place.id)) walk(node.children, depth + 1)
    }
  }
  walk(roots, 0)
  return rows
}

/** Nodes open at first: everything above buildings, so a compound shows its buildings at once. */
export function initiallyExpanded(places: readonly PlaceView[]): Set<string> {
  return new Set(places.filter((p) => p.kind !== 'building' && p.kind !== 'unit').map((p) => p.id))
}

/** The place and its ancestors within the list, outermost first. */
export function pathTo(places: readonly PlaceView[], id: string): PlaceView[] {
  const byId = new Map(places.map((p) => [p.id, p]))
  const path: PlaceView[] = []
  for (let place = byId.get(id); place; place = place.parentId ? byId.get(place.parentId) : undefined) {
    path.unshift(place)
    if (path.length > 10) break // a cycle would be a server bug; never loop on it
  }
  return path
}

/** How many buildings and units sit under a node (active ones, as drawn). */
export function countUnder(node: TreeNode): { buildings: number; units: number } {
  let buildings = 0
  let units = 0
  const walk = (n: TreeNode) => {
    for (const child of n.children) {
      if (child.place.kind === 'building') buildings++
      if (child.place.kind === 'unit') units++
      walk(child)
    }
  }
  walk(node)
  return { buildings, units }
}

/**
 * Moving a place one step among its siblings: the sort orders to send so the siblings read 1, 2, 3…
 * in the new order. Only changed ones are returned; empty when the move is not possible.
 */
export function reorderPatches(
  siblings: readonly PlaceView[],
  id: string,
  step: -1 | 1,
): { id: string; sortOrder: number }[] {
  const index = siblings.findIndex((p) => p.id === id)
  const target = index + step
  if (index < 0 || target < 0 || target >= siblings.length) return []
  const order = [...siblings]
  ;[order[index], order[target]] = [order[target], order[index]]
  return order
    .map((place, i) => ({ id: place.id, sortOrder: i + 1, was: place.sortOrder }))
    .filter((p) => p.sortOrder !== p.was)
    .map(({ id: placeId, sortOrder }) => ({ id: placeId, sortOrder }))
}
