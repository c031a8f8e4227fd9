/**
 * WeChat's privacy agreement (用户隐私保护指引): before a privacy API (camera, album) runs for the first
 * time, WeChat fires onNeedPrivacyAuthorization and waits; the app shows the agreement and resolves with
 * the user's answer, which must come from a button with open-type="agreePrivacyAuthorization".
 * Mini-program only; renders nothing in H5.
 */
import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@/ui/button'
import './privacy.scss'

const IS_WEAPP = process.env.TARO_ENV === 'weapp'
const AGREE_BUTTON_ID = 'mq-privacy-agree'

type Resolve = (option: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void
type Show = (resolve: Resolve) => void

/** One per mounted resident page; the page on top (mounted last) shows the sheet. */
const prompts: Show[] = []
let listening = false

function listen(): void {
  if (listening || !IS_WEAPP || typeof Taro.onNeedPrivacyAuthorization !== 'function') return
  listening = true
  Taro.onNeedPrivacyAuthorization((resolve) => {
    // No prompt on screen (another page): refuse rather than leave the API hanging.
    const top = prompts[prompts.length - 1]
    if (top) top(resolve)
    else resolve({ event: 'disagree' })
  })
}

/**
 * Asks for the agreement if WeChat needs it, before calling a privacy API. Resolves true when the user
 * agreed (or nothing was needed), false when they declined. Always true outside WeChat.
 */
export function ensurePrivacyAuthorized(): Promise<boolean> {
  if (!IS_WEAPP || typeof Taro.requirePrivacyAuthorize !== 'function') return Promise.resolve(true)
  listen()
  return new Promise((resolve) => {
    Taro.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) })
  })
}

const RESIDENT_PURPOSE = '照片和语音只用于反映问题，只有负责处理的工作人员能看到、听到。'

/** The agreement sheet; put it on each page that uses a privacy API. `purpose` says what the photos and voice notes are for. */
export function PrivacyPrompt({ purpose = RESIDENT_PURPOSE }: { purpose?: string }) {
  const [pending, setPending] = useState<Resolve | null>(null)

  useEffect(() => {
    if (!IS_WEAPP) return undefined
    listen()
    const mine: Show = (resolve) => {
      resolve({ event: 'exposureAuthorization' })
      setPending(() => resolve)
    }
    prompts.push(mine)
    return () => {
      prompts.splice(prompts.indexOf(mine), 1)
    }
  }, [])

  if (!IS_WEAPP || !pending) return null
  const answer = (agree: boolean) => {
    pending(agree ? { event: 'agree', buttonId: AGREE_BUTTON_ID } : { event: 'disagree' })
    setPending(null)
  }
  return (
    <View className='mq-sheet' data-testid='privacy-prompt'>
      <View className='mq-sheet__panel'>
        <Text className='mq-subtitle'>用户隐私保护提示</Text>
        <Text className='mq-text'>
          {`拍照、选照片或录音前，请您阅读并同意《用户隐私保护指引》。${purpose}`}
        </Text>
        <Button block size='large' className='mq-action' onClick={() => void Taro.openPrivacyContract?.({})}>
          查看《用户隐私保护指引》
        </Button>
        <Button
          id={AGREE_BUTTON_ID}
          type='primary'
          size='large'
          block
          className='mq-action'
          openType='agreePrivacyAuthorization'
          onAgreePrivacyAuthorization={() => answer(true)}
        >
          同意并继续
        </Button>
        <Button block size='large' className='mq-action' onClick={() => answer(false)}>
          不同意
        </Button>
      </View>
    </View>
  )
}
