import { Cell, CellGroup } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import type { ErrorDetail } from '@/api/client'
import { Notice } from '@/ui/parts'

/** The row number of a sheet error path (`row 3`), or null for whole-file and field errors. */
export function rowNumber(path: string): number | null {
  const match = /^row\s+(\d+)$/i.exec(path.trim())
  return match ? Number(match[1]) : null
}

/** Where the error is, as the admin sees it in Excel. */
export function locationLabel(path: string): string {
  const row = rowNumber(path)
  if (row !== null) return `第 ${row} 行`
  if (path === 'file' || path === '') return '整个文件'
  return path
}

/** Errors in row order (whole-file errors first), keeping the server's order within a row. */
export function sortedDetails(details: readonly ErrorDetail[]): ErrorDetail[] {
  return details
    .map((detail, index) => ({ detail, index, row: rowNumber(detail.path) ?? 0 }))
    .sort((a, b) => a.row - b.row || a.index - b.index)
    .map((entry) => entry.detail)
}

/** Every problem the server found in an uploaded sheet, one cell each, so all can be fixed at once. */
export function RowErrors({ message, details }: { message: string; details: readonly ErrorDetail[] }) {
  const rows = new Set(details.map((d) => rowNumber(d.path)).filter((n) => n !== null)).size
  return (
    <View data-testid='import-errors'>
      <Notice
        tone='error'
        title={
          details.length > 0
            ? `文件中有 ${details.length} 处问题${rows > 0 ? `（涉及 ${rows} 行）` : ''}，没有导入任何数据`
            : '导入失败，没有导入任何数据'
        }
      >
        {details.length > 0 ? '请在表格中改正下列问题后重新上传。' : message}
      </Notice>
      {details.length > 0 ? (
        <View className='admin-table' data-testid='import-error-table'>
          <CellGroup>
            {sortedDetails(details).map((detail, i) => (
              <View key={`${detail.path}-${i}`} data-testid='import-error-table-row'>
                <Cell
                  title={<Text data-testid='import-error-where'>{locationLabel(detail.path)}</Text>}
                  description={<Text data-testid='import-error-message'>{detail.message}</Text>}
                />
              </View>
            ))}
          </CellGroup>
        </View>
      ) : null}
    </View>
  )
}
