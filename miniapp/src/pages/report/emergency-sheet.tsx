import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { EMERGENCY_NUMBERS, URGENT_ACCEPT_MINUTES } from '@mq/shared'
import { Button } from '@/ui/button'

const IS_H5 = process.env.TARO_ENV === 'h5'

export interface EmergencyLine {
  number: string
  label: string
  hint: string
}

/**
 * 119, 110, 120, then the compound's 物业 24-hour line and its service hotline when the scan view has them
 * (the same number once).
 */
export function emergencyLines(
  hotline: string | null | undefined,
  propertyPhone: string | null | undefined = null,
): EmergencyLine[] {
  const lines: EmergencyLine[] = [...EMERGENCY_NUMBERS]
  if (propertyPhone) lines.push({ number: propertyPhone, label: '物业24小时电话', hint: '电梯、水电、燃气，物业马上派人' })
  if (hotline && hotline !== propertyPhone) {
    lines.push({ number: hotline, label: '小区服务热线', hint: '告诉小区马上派人' })
  }
  return lines
}

/**
 * One number as a whole-width tap target that dials it: a `tel:` link in a browser (the phone's dialer opens
 * from a user's tap), the mini-program's makePhoneCall in WeChat, which has no links.
 */
function CallLine({ line }: { line: EmergencyLine }) {
  // A full phone number takes a line of its own, so the words beside it keep their width in 长辈模式.
  const classes = `emergency-call${line.number.length > 3 ? ' emergency-call--long' : ''}`
  const body = (
    <>
      <Text className='emergency-call__number'>{line.number}</Text>
      <View className='emergency-call__words'>
        <Text className='emergency-call__label'>{line.label}</Text>
        <Text className='emergency-call__hint'>{line.hint}</Text>
      </View>
      <Text className='emergency-call__go'>拨打</Text>
    </>
  )
  return IS_H5 ? (
    <a className={classes} href={`tel:${line.number}`} data-testid='emergency-call' data-number={line.number}>
      {body}
    </a>
  ) : (
    <View
      className={classes}
      role='link'
      onClick={() => void Taro.makePhoneCall({ phoneNumber: line.number })}
      data-testid='emergency-call'
      data-number={line.number}
    >
      {body}
    </View>
  )
}

/**
 * Shown before the form when the category or the words signal danger: the emergency numbers first, and the
 * resident may still file (the request is then urgent). Covers the page until they choose.
 */
export function EmergencySheet({
  hotline,
  propertyPhone,
  words,
  onContinue,
}: {
  hotline: string | null | undefined
  /** The compound's 物业 24-hour line, when it set one. */
  propertyPhone?: string | null
  words: readonly string[]
  onContinue: () => void
}) {
  return (
    <View className='emergency-scrim' data-testid='emergency-sheet'>
      <View className='emergency-sheet' role='dialog' aria-modal='true' aria-labelledby='emergency-title'>
        <Text className='emergency-sheet__title' id='emergency-title'>
          有危险请先打电话
        </Text>
        <Text className='emergency-sheet__text'>
          {words.length > 0 ? `您提到「${words.join('、')}」。` : ''}
          人身安全第一：有人被困、着火、闻到燃气味，请马上拨打下面的电话。
        </Text>
        <View className='emergency-sheet__calls'>
          {emergencyLines(hotline, propertyPhone).map((line) => (
            <CallLine key={line.number} line={line} />
          ))}
        </View>
        <Button block size='large' className='emergency-sheet__continue' onClick={onContinue} data-testid='emergency-continue'>
          已经安全，继续反映给小区
        </Button>
        <Text className='emergency-sheet__foot'>{`按紧急诉求处理：${URGENT_ACCEPT_MINUTES}分钟内受理，同时通知小区书记。`}</Text>
      </View>
    </View>
  )
}

/** Above the form once the sheet was closed: the request will go as urgent, and the numbers stay at hand. */
export function UrgentNotice({ onShowNumbers }: { onShowNumbers: () => void }) {
  return (
    <View className='mq-card emergency-notice' data-testid='report-urgent'>
      <Text className='emergency-notice__title'>紧急诉求</Text>
      <Text className='mq-text'>{`提交后按紧急处理：${URGENT_ACCEPT_MINUTES}分钟内受理（夜间、节假日也一样），同时通知小区书记。`}</Text>
      <Button fill='outline' type='danger' block onClick={onShowNumbers} data-testid='report-urgent-numbers'>
        查看急救电话
      </Button>
    </View>
  )
}
