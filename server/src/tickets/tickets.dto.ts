import {
  AcceptTicketSchema,
  BatchAcceptSchema,
  BatchNoteSchema,
  BatchTransferSchema,
  CoHandlerInputSchema,
  CreateTicketSchema,
  DuplicatesQuerySchema,
  FollowTicketSchema,
  InboxQuerySchema,
  MergeTicketSchema,
  MessageInputSchema,
  MyTicketsQuerySchema,
  NoteTicketSchema,
  ProxyTicketSchema,
  PublicSummaryInputSchema,
  RateTicketSchema,
  RejectTicketSchema,
  ReplyTicketSchema,
  ResolveTicketSchema,
  ResumeTicketSchema,
  TransferTicketSchema,
  WaitTicketSchema,
  WithdrawTicketSchema,
} from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class CreateTicketDto extends createZodDto(CreateTicketSchema) {}
export class ProxyTicketDto extends createZodDto(ProxyTicketSchema) {}
export class AcceptTicketDto extends createZodDto(AcceptTicketSchema) {}
export class ReplyTicketDto extends createZodDto(ReplyTicketSchema) {}
export class ResolveTicketDto extends createZodDto(ResolveTicketSchema) {}
export class RejectTicketDto extends createZodDto(RejectTicketSchema) {}
export class TransferTicketDto extends createZodDto(TransferTicketSchema) {}
export class CoHandlerInputDto extends createZodDto(CoHandlerInputSchema) {}
export class WaitTicketDto extends createZodDto(WaitTicketSchema) {}
export class PublicSummaryInputDto extends createZodDto(PublicSummaryInputSchema) {}
export class ResumeTicketDto extends createZodDto(ResumeTicketSchema) {}
export class MergeTicketDto extends createZodDto(MergeTicketSchema) {}
export class FollowTicketDto extends createZodDto(FollowTicketSchema) {}
export class NoteTicketDto extends createZodDto(NoteTicketSchema) {}
export class RateTicketDto extends createZodDto(RateTicketSchema) {}
export class InboxQueryDto extends createZodDto(InboxQuerySchema) {}
export class MyTicketsQueryDto extends createZodDto(MyTicketsQuerySchema) {}
export class DuplicatesQueryDto extends createZodDto(DuplicatesQuerySchema) {}
export class MessageInputDto extends createZodDto(MessageInputSchema) {}
export class WithdrawTicketDto extends createZodDto(WithdrawTicketSchema) {}
export class BatchAcceptDto extends createZodDto(BatchAcceptSchema) {}
export class BatchTransferDto extends createZodDto(BatchTransferSchema) {}
export class BatchNoteDto extends createZodDto(BatchNoteSchema) {}
