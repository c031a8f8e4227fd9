import { useCallback, useRef, useState } from 'react'
import { Dialog } from '@nutui/nutui-react-taro'
import { View } from '@tarojs/components'
import { Button } from '@/ui/button'

export interface ConfirmOptions {
  title: string
  content: string
  confirmText: string
  /** The action cannot be undone here: the confirm button is red. */
  danger?: boolean
}

/**
 * Asking before an action, with NutUI's Dialog (inside the page's <Kit>, so it wears the mode's look):
 * `await confirm({…})` is true when the admin confirmed; render `dialog` once in the page.
 */
export function useConfirm() {
  const [asking, setAsking] = useState<ConfirmOptions | null>(null)
  const answer = useRef<((yes: boolean) => void) | null>(null)

  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        answer.current?.(false)
        answer.current = resolve
        setAsking(options)
      }),
    [],
  )
  const close = (yes: boolean) => {
    answer.current?.(yes)
    answer.current = null
    setAsking(null)
  }

  const dialog = (
    <Dialog
      visible={asking !== null}
      title={asking?.title}
      content={asking?.content}
      onClose={() => close(false)}
      onCancel={() => close(false)}
      footer={
        <View className='admin-dialog__footer'>
          <Button className='admin-dialog__button' onClick={() => close(false)} data-testid='confirm-cancel'>
            取消
          </Button>
          <Button
            className='admin-dialog__button'
            type={asking?.danger ? 'danger' : 'primary'}
            onClick={() => close(true)}
            data-testid='confirm-ok'
          >
            {asking?.confirmText ?? '确定'}
          </Button>
        </View>
      }
    />
  )
  return { confirm, dialog }
}
