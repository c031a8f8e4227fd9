/** Recurring problems (重点问题) of a compound: staff supervising it list, adopt, dismiss and add progress. */
import type { AdoptRecurringInput, DismissRecurringInput, RecurringCompounds, RecurringList, RecurringProblem } from '@mq/shared'
import { RecurringCompoundsSchema, RecurringListSchema, RecurringProblemSchema } from '@mq/shared/schemas'
import { staffCall } from './auth'
import { parseWith } from './client'

/** The compounds under the places the caller supervises (the page's picker). */
export async function recurringCompounds(): Promise<RecurringCompounds> {
  return parseWith(RecurringCompoundsSchema, await staffCall({ path: '/api/recurring/compounds' }))
}

export async function recurringList(compoundId: string): Promise<RecurringList> {
  return parseWith(RecurringListSchema, await staffCall({ path: '/api/recurring', query: { compoundId } }))
}

export async function adoptRecurring(input: AdoptRecurringInput): Promise<RecurringProblem> {
  return parseWith(RecurringProblemSchema, await staffCall({ method: 'POST', path: '/api/recurring/adopt', json: input }))
}

export async function dismissRecurring(input: DismissRecurringInput): Promise<RecurringProblem> {
  return parseWith(RecurringProblemSchema, await staffCall({ method: 'POST', path: '/api/recurring/dismiss', json: input }))
}

export async function addRecurringProgress(id: string, note: string): Promise<RecurringProblem> {
  return parseWith(
    RecurringProblemSchema,
    await staffCall({ method: 'POST', path: `/api/recurring/${encodeURIComponent(id)}/progress`, json: { note } }),
  )
}
