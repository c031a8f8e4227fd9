import type { ReactNode } from 'react'
import { Cell, CellGroup, Table } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { Nothing } from '@/ui/states'
import { useWide } from './use-wide'

export interface Column<K extends string> {
  key: K
  title: string
  /** On a phone, in a compact list, this cell takes a line of its own. */
  fullOnPhone?: boolean
}

export interface Row<K extends string> {
  key: string
  cells: Record<K, ReactNode>
  onClick?: () => void
}

/**
 * A table on wide screens (NutUI's Table), and on phones a list of cells, one per row, each value with
 * its column's name (a table of five columns cannot fit 320 px). Rows carry `<testId>-row`.
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
  /** On phones: the values flow on a line without their column names. */
  compact?: boolean
}) {
  const wide = useWide()
  const rowTestId = testId ? `${testId}-row` : undefined

  if (rows.length === 0 && empty) {
    return (
      <View className='admin-table' data-testid={testId}>
        <Nothing title={empty} />
      </View>
    )
  }

  if (wide) {
    return (
      <View className='admin-table admin-table--wide' data-testid={testId}>
        <Table
          columns={columns.map((c) => ({ key: c.key, title: c.title }))}
          data={rows.map((row) => ({
            ...row.cells,
            rowRender: (_item: unknown, _index: number, { inner }: { inner: ReactNode }) => (
              <View
                key={row.key}
                className={`nut-table-main-body-tr${row.onClick ? ' admin-table__link' : ''}`}
                onClick={row.onClick}
                data-testid={rowTestId}
              >
                {inner}
              </View>
            ),
          }))}
        />
      </View>
    )
  }

  return (
    <View className={`admin-table admin-table--list${compact ? ' admin-table--compact' : ''}`} data-testid={testId}>
      <CellGroup>
        {rows.map((row) => (
          <View key={row.key} className='admin-table__item' onClick={row.onClick} data-testid={rowTestId}>
            <Cell clickable={Boolean(row.onClick)}>
              <View className='admin-table__lines'>
                {columns.map((c) =>
                  compact ? (
                    <View key={c.key} className={`admin-table__value${c.fullOnPhone ? ' admin-table__value--full' : ''}`}>
                      {row.cells[c.key]}
                    </View>
                  ) : (
                    <View key={c.key} className='admin-table__line'>
                      <Text className='admin-table__label'>{c.title}</Text>
                      <View className='admin-table__value'>{row.cells[c.key]}</View>
                    </View>
                  ),
                )}
              </View>
            </Cell>
          </View>
        ))}
      </CellGroup>
    </View>
  )
}
