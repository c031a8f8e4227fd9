/** The 常用回复 page's API calls: a compound's templates, adding, editing and deleting one. */
import type { CompoundTemplates, ReplyTemplate, ReplyTemplateCreateInput, ReplyTemplateUpdateInput } from '@mq/shared'
import { CompoundTemplatesSchema, ReplyTemplateSchema } from '@mq/shared/schemas'
import { staffCall } from '@/api/auth'
import { parseWith } from '@/api/client'

const enc = encodeURIComponent

export async function compoundTemplates(compoundId: string): Promise<CompoundTemplates> {
  return parseWith(CompoundTemplatesSchema, await staffCall({ path: `/api/admin/compounds/${enc(compoundId)}/reply-templates` }))
}

export async function createTemplate(input: ReplyTemplateCreateInput): Promise<ReplyTemplate> {
  return parseWith(ReplyTemplateSchema, await staffCall({ method: 'POST', path: '/api/admin/reply-templates', json: input }))
}

export async function updateTemplate(id: string, input: ReplyTemplateUpdateInput): Promise<ReplyTemplate> {
  return parseWith(ReplyTemplateSchema, await staffCall({ method: 'PUT', path: `/api/admin/reply-templates/${enc(id)}`, json: input }))
}

export async function deleteTemplate(id: string): Promise<void> {
  await staffCall({ method: 'DELETE', path: `/api/admin/reply-templates/${enc(id)}` })
}
