import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@/ui/button'
import type { SheetFile } from '../api'

/** Reads a browser File; FileReader rather than File.arrayBuffer() for older browsers (and jsdom). */
export function readBrowserFile(file: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as ArrayBuffer)
    reader.onerror = () => reject(reader.error ?? new Error('无法读取文件'))
    reader.readAsArrayBuffer(file)
  })
}

/** In WeChat: a sheet (XLSX or CSV) chosen from a chat and read into memory; null when cancelled. */
export async function chooseInMiniProgram(): Promise<SheetFile | null> {
  let chosen: { path: string; name: string }
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] })
    chosen = res.tempFiles[0]
  } catch {
    return null // cancelled
  }
  if (!chosen) return null
  const bytes = await new Promise<ArrayBuffer>((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath: chosen.path,
      success: (res) => resolve(res.data as ArrayBuffer),
      fail: (err) => reject(new Error(err.errMsg)),
    })
  })
  return { name: chosen.name, bytes }
}

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv'

/**
 * Choosing a sheet: a file input in the browser; in WeChat a file from a chat (where admins receive
 * their Excel lists), since a mini-program cannot open the phone's file system.
 */
export function SheetPicker({
  file,
  onPick,
  onError,
  disabled,
}: {
  file: SheetFile | null
  onPick: (file: SheetFile) => void
  onError: (message: string) => void
  disabled?: boolean
}) {
  const chosen = file ? (
    <Text className='mq-muted' data-testid='import-file-name'>
      {`已选择：${file.name}（${Math.max(1, Math.round(file.bytes.byteLength / 1024))} KB）`}
    </Text>
  ) : (
    <Text className='mq-muted'>尚未选择文件</Text>
  )

  if (process.env.TARO_ENV !== 'h5') {
    return (
      <View className='admin-actions'>
        <Button
          disabled={disabled}
          onClick={() => {
            chooseInMiniProgram().then(
              (picked) => picked && onPick(picked),
              (error: unknown) => onError(error instanceof Error ? error.message : String(error)),
            )
          }}
        >
          从微信聊天中选择文件
        </Button>
        {chosen}
      </View>
    )
  }

  return (
    <View className='admin-actions'>
      {/* The kit's button, with the real file input laid invisibly over it: clickable and keyboard-reachable. */}
      <View className='admin-file'>
        <Button disabled={disabled}>
          选择文件…
        </Button>
        <input
          className='admin-file__input'
          aria-label='选择文件'
          type='file'
          accept={ACCEPT}
          disabled={disabled}
          data-testid='import-file'
          onChange={(event) => {
            const input = event.currentTarget
            const picked = input.files?.[0]
            // Clear, so choosing the same (corrected) file again fires change again.
            input.value = ''
            if (!picked) return
            readBrowserFile(picked).then(
              (bytes) => onPick({ name: picked.name, bytes }),
              (error: unknown) => onError(error instanceof Error ? error.message : '无法读取文件'),
            )
          }}
        />
      </View>
      {chosen}
    </View>
  )
}
