/** Pieces the staff pages share: role and place choosers, account status, generated passwords. */
import { Text, View } from '@tarojs/components'
import {
  PLACE_KIND_LABELS,
  ROLES,
  ROLE_LABELS,
  ROLE_PLACE_KINDS,
  rolePlaceAllowed,
  type MembershipView,
  type PlaceView,
  type Role,
  type StaffView,
} from '@mq/shared'
import { localClock } from '@mq/shared'
import { Choices, Tag } from '@/ui/parts'

export function StaffStatus({ staff }: { staff: StaffView }) {
  if (!staff.active) return <Tag tone='danger'>已停用</Tag>
  if (staff.lockedUntil) return <Tag tone='warn'>{`已锁定至 ${localClock(staff.lockedUntil)}`}</Tag>
  return <Tag tone='ok'>正常</Tag>
}

export function membershipLabel(m: MembershipView): string {
  return `${m.roleLabel || ROLE_LABELS[m.role]} · ${m.place.name}`
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'

/**
 * A 10-character initial password with letters and digits (the shared policy), without look-alike
 * characters, so it can be read out over the phone.
 */
export function generatePassword(): string {
  const bytes = new Uint8Array(10)
  for (;;) {
    if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes)
    // The mini-program has no Web Crypto; an initial password is changed at first use anyway.
    else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
    const password = Array.from(bytes, (b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]).join('')
    if (/[A-Za-z]/.test(password) && /\d/.test(password)) return password
  }
}

/** Role chips, grouped as the product thinks of them. */
export function RolePicker({ value, onChange }: { value: Role | null; onChange: (role: Role) => void }) {
  return (
    <Choices
      small
      testId='role-picker'
      choices={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
      value={value}
      onPick={onChange}
    />
  )
}

const TOP_KINDS = ['district', 'street', 'community', 'compound'] as const

/**
 * Where a membership sits: first the top-level place the role allows (compound for handlers, community
 * for 社区…), then, for roles that may sit lower, a building and a unit. Returns the chosen place id.
 */
export function PlaceCascade({
  places,
  role,
  value,
  onChange,
}: {
  places: PlaceView[]
  role: Role
  value: string | null
  onChange: (placeId: string | null) => void
}) {
  const active = places.filter((p) => !p.retired)
  const byId = new Map(active.map((p) => [p.id, p]))
  const allowed = ROLE_PLACE_KINDS[role]
  const tops = active.filter((p) => (TOP_KINDS as readonly string[]).includes(p.kind) && allowed.includes(p.kind))

  // The chain from the chosen top place down to the chosen place.
  const chain: PlaceView[] = []
  for (let p = value ? byId.get(value) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) {
    chain.unshift(p)
    if (tops.some((t) => t.id === p?.id)) break
  }
  const top = chain[0] ?? null
  const building = chain.find((p) => p.kind === 'building') ?? null
  const unit = chain.find((p) => p.kind === 'unit') ?? null
  const children = (parentId: string) => active.filter((p) => p.parentId === parentId)

  if (tops.length === 0) {
    return <Text className='mq-muted'>{`您的管辖范围内没有可以设置「${ROLE_LABELS[role]}」的地点。`}</Text>
  }

  return (
    <View className='place-cascade' data-testid='place-cascade'>
      <Choices
        small
        choices={tops.map((p) => ({ value: p.id, label: `${PLACE_KIND_LABELS[p.kind]} · ${p.name}` }))}
        value={top?.id}
        onPick={onChange}
      />
      {top && top.kind === 'compound' && rolePlaceAllowed(role, 'building') ? (
        <View className='place-cascade__level'>
          <Text className='mq-muted'>只负责其中一幢？（可不选）</Text>
          <Choices
            small
            choices={[{ value: top.id, label: '整个小区' }, ...children(top.id).map((b) => ({ value: b.id, label: b.name }))]}
            value={building?.id ?? top.id}
            onPick={onChange}
          />
        </View>
      ) : null}
      {building && rolePlaceAllowed(role, 'unit') ? (
        <View className='place-cascade__level'>
          <Text className='mq-muted'>只负责其中一个单元？（可不选）</Text>
          <Choices
            small
            choices={[{ value: building.id, label: '整幢' }, ...children(building.id).map((u) => ({ value: u.id, label: u.name }))]}
            value={unit?.id ?? building.id}
            onPick={onChange}
          />
        </View>
      ) : null}
    </View>
  )
}

/** The place id a cascade should start at for a role: the only allowed top place, if there is one. */
export function defaultPlaceFor(places: PlaceView[], role: Role): string | null {
  const tops = places.filter(
    (p) => !p.retired && (TOP_KINDS as readonly string[]).includes(p.kind) && ROLE_PLACE_KINDS[role].includes(p.kind),
  )
  return tops.length === 1 ? tops[0].id : null
}
