import { Text, View } from '@tarojs/components'
import type { TicketCommand, TicketView } from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { Button } from '@/ui/button'
import { availableButtons } from '../actions'

/**
 * The handling buttons of a request: only those legal now (shared transition table), allowed to the
 * caller's roles (shared policy) and offered by the server for the caller's relation (src/staff/actions.ts).
 */
export function ActionBar({
  ticket,
  me,
  active,
  busy,
  onPick,
}: {
  ticket: Pick<TicketView, 'state' | 'severity' | 'promise' | 'viewer'>
  me: Pick<StaffMe, 'memberships'>
  /** The command whose form is open. */
  active: TicketCommand | null
  busy?: boolean
  onPick: (command: TicketCommand) => void
}) {
  const buttons = availableButtons(ticket, me)
  if (buttons.length === 0) {
    return (
      <Text className='st-muted' data-testid='actions-none'>
        您对这条诉求暂无可办理的操作。
      </Text>
    )
  }
  return (
    <View className='st-actions' data-testid='actions'>
      {buttons.map((b, i) => (
        <Button
          key={b.command}
          // One filled button, across the row: the step that moves the request forward now.
          className={i === 0 && b.tone === 'primary' ? 'st-wide' : undefined}
          type={b.tone === 'danger' ? 'danger' : i === 0 && b.tone === 'primary' ? 'primary' : active === b.command ? 'primary' : 'default'}
          fill={i === 0 && b.tone === 'primary' ? 'solid' : 'outline'}
          disabled={busy}
          aria-expanded={active === b.command}
          onClick={() => onPick(b.command)}
          data-testid={`action-${b.command}`}
        >
          {b.label}
        </Button>
      ))}
    </View>
  )
}
