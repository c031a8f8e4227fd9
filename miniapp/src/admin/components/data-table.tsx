import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'

export interface Column<K extends string> {
  key: K
  title: string
  /** A CSS grid track for wide screens, e.g. '1fr' or '120px' (inline styles are not converted). */
  width: string
  /** In a compact table on a phone, this cell takes a line of its own. */
  fullOnPhone?: boolean
}

export interface Row<K extends string> {
  key: string
  cells: Record<K, ReactNode>
  onClick?: () => void
}

/**
 * A table that is a grid on wide screens and a stack of labelled cards on phones (admin.scss), built
 * from Views so it renders the same in H5 and in the mini-program.
 */
export function DataTable<K extends string>({
  columns,
  rows,
  testId,
  empty,
  compact,
}: {
  columns: Column<K>[]
  rows: Row<K>[]
  testId?: string
  empty?: string
  /** On phones: cells on one line without labels, instead of one labelled line each. */
  compact?: boolean
}) {
  const gridTemplateColumns = columns.map((c) => c.width).join(' ')
  return (
    <View className={`adm-table${compact ? ' adm-table--compact' : ''}`} data-testid={testId}>
      <View className='adm-table__head' style={{ gridTemplateColumns }}>
        {columns.map((c) => (
          <Text key={c.key}>{c.title}</Text>
        ))}
      </View>
      {rows.length === 0 && empty ? <Text className='adm-empty'>{empty}</Text> : null}
      {rows.map((row) => (
        <View
          key={row.key}
          className={`adm-table__row${row.onClick ? ' adm-table__row--link' : ''}`}
          style={{ gridTemplateColumns }}
          onClick={row.onClick}
          data-testid={testId ? `${testId}-row` : undefined}
        >
          {columns.map((c) => (
            <View key={c.key} className={`adm-table__cell${c.fullOnPhone ? ' adm-table__cell--full' : ''}`}>
              <Text className='adm-table__cell-label'>{c.title}</Text>
              <View className='adm-table__cell-value'>{row.cells[c.key]}</View>
            </View>
          ))}
        </View>
      ))}
    </View>
  )
}
