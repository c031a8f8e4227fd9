/**
 * Day types per role for a compound: whether a role's deadlines count working days (office roles) or
 * every day (roles on duty every day). A simple list, one row per role that can handle a request.
 */
import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import {
  DAY_TYPE_LABELS,
  DEFAULT_DAY_TYPES,
  HANDLER_ROLES,
  ROLE_LABELS,
  type DayType,
  type DeadlineSettings,
  type Role,
} from '@mq/shared'
import { Button } from '@/ui/button'
import { Card, Choices, Tag } from '@/ui/parts'
import { Actions } from '../../components/ui'

/** The roles a request can be handed to: the handlers, and the compound secretary (the last fallback). */
export const DAY_TYPE_ROLES: readonly Role[] = [...HANDLER_ROLES, 'compound_secretary']

export type DayTypeChoices = Partial<Record<Role, DayType>>

/** Only the roles set otherwise than the product's default (any role, shown or not): what the compound overrides. */
export function dayTypeOverrides(chosen: Readonly<Record<Role, DayType>>): DayTypeChoices {
  const out: DayTypeChoices = {}
  for (const role of Object.keys(chosen) as Role[])
    if (chosen[role] !== DEFAULT_DAY_TYPES[role]) out[role] = chosen[role]
  return out
}

export function DayTypesCard({
  current,
  busy,
  onSave,
}: {
  current: DeadlineSettings
  busy: boolean
  onSave: (dayTypes: DayTypeChoices) => void
}) {
  const [chosen, setChosen] = useState<Record<Role, DayType>>(current.effective.dayTypes)
  useEffect(() => setChosen(current.effective.dayTypes), [current])
  const changed = DAY_TYPE_ROLES.some((role) => chosen[role] !== current.effective.dayTypes[role])

  return (
    <Card testId="day-types" title="按角色计时">
      <Text className="mq-muted">
        按工作日：周末和法定节假日（含工作日历里设的放假）不计时限，调休上班日照常计。按自然日：每天都计。
      </Text>
      <View className="day-types__list">
        {DAY_TYPE_ROLES.map((role) => (
          <View
            key={role}
            className="day-types__row"
            data-testid="day-type-row"
            data-role={role}
            data-value={chosen[role]}
          >
            <Text className="day-types__role">{ROLE_LABELS[role]}</Text>
            <Choices
              small
              choices={(['working', 'on_duty'] as const).map((value) => ({
                value,
                label: DAY_TYPE_LABELS[value],
                testId: `day-type-${value}`,
              }))}
              value={chosen[role]}
              onPick={(value) => setChosen({ ...chosen, [role]: value })}
              disabled={busy}
            />
            {chosen[role] === DEFAULT_DAY_TYPES[role] ? (
              <Tag>默认</Tag>
            ) : (
              <Tag tone="primary">本小区设置</Tag>
            )}
          </View>
        ))}
      </View>
      <Actions>
        <Button
          type="primary"
          disabled={busy || !changed}
          loading={busy}
          onClick={() => onSave(dayTypeOverrides(chosen))}
          data-testid="day-types-save"
        >
          保存计时方式
        </Button>
        <Button disabled={busy || !changed} onClick={() => setChosen(current.effective.dayTypes)}>
          撤销修改
        </Button>
      </Actions>
    </Card>
  )
}
