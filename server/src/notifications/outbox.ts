import type { EntityManager } from 'typeorm'
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity'
import { OutboxNotification, type NotificationType, type RecipientKind } from './notification.entity'

export interface Notification {
  recipient: { kind: RecipientKind; id: string }
  type: NotificationType
  ticketId: string | null
  payload: Record<string, unknown>
  /** Unique per message: the same key twice is written once. */
  dedupeKey: string
  at: Date
}

/**
 * Writes notifications to the outbox inside the caller's transaction (`manager`), so they exist if and
 * only if the change they describe commits. Duplicates by dedupe key are skipped.
 */
export async function enqueue(
  manager: EntityManager,
  notifications: Notification | Notification[],
): Promise<void> {
  const byKey = new Map(
    (Array.isArray(notifications) ? notifications : [notifications]).map((n) => [n.dedupeKey, n]),
  )
  const list = [...byKey.values()]
  if (list.length === 0) return
  await manager
    .createQueryBuilder()
    .insert()
    .into(OutboxNotification)
    .values(
      list.map((n): QueryDeepPartialEntity<OutboxNotification> => ({
        dedupeKey: n.dedupeKey,
        recipientKind: n.recipient.kind,
        recipientId: n.recipient.id,
        type: n.type,
        ticketId: n.ticketId,
        payload: n.payload as QueryDeepPartialEntity<Record<string, unknown>>,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: n.at,
        lastError: null,
        sentAt: null,
        createdAt: n.at,
      })),
    )
    .orIgnore()
    .execute()
}
