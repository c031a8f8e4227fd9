import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common'
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger'
import {
  BatchResultSchema,
  DuplicateListSchema,
  ErrorBodySchema,
  IdempotencyKeySchema,
  TicketCandidatesSchema,
  TicketPageSchema,
  TicketViewSchema,
  UuidSchema,
  VOICE_CONTENT_TYPES,
  type BatchResult,
  type DuplicateList,
  type TicketCandidates,
  type TicketPage,
  type TicketView,
} from '@mq/shared'
import type { FastifyReply } from 'fastify'
import { ZodValidationPipe } from 'nestjs-zod'
import { z } from 'zod'
import {
  Authenticated,
  Can,
  CurrentPrincipal,
  CurrentResident,
  CurrentStaff,
  ResidentOnly,
} from '../auth/access.decorators'
import { Throttled } from '../abuse/throttled'
import type { Principal, ResidentPrincipal, StaffPrincipal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import { RequestId } from '../common/request-id.decorator'
import { zodSchema } from '../openapi/zod-schema'
import { TICKET_NUMBER_PATTERN } from './ticket-number'
import { TicketWorkflowService } from './ticket-workflow.service'
import {
  AcceptTicketDto,
  BatchAcceptDto,
  BatchNoteDto,
  BatchTransferDto,
  CoHandlerInputDto,
  CreateTicketDto,
  DuplicatesQueryDto,
  FollowTicketDto,
  InboxQueryDto,
  MergeTicketDto,
  MessageInputDto,
  MyTicketsQueryDto,
  NoteTicketDto,
  ProxyTicketDto,
  PublicSummaryInputDto,
  RateTicketDto,
  RejectTicketDto,
  ReplyTicketDto,
  ResolveTicketDto,
  ResumeTicketDto,
  TransferTicketDto,
  WaitTicketDto,
  WithdrawTicketDto,
} from './tickets.dto'
import { TicketsService } from './tickets.service'

const Id = new ZodValidationPipe(UuidSchema)
/** A request's id, or its number (MQ000123) as a text message's short link carries it. */
const IdOrNumber = new ZodValidationPipe(z.union([UuidSchema, z.string().regex(TICKET_NUMBER_PATTERN)]))

/** The Idempotency-Key header, required on every create (400 when missing or malformed). */
function idempotencyKey(value: string | undefined): string {
  const parsed = IdempotencyKeySchema.safeParse(value)
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'Idempotency-Key 无效'
    throw new DomainError('VALIDATION_FAILED', message, [{ path: 'Idempotency-Key', message }])
  }
  return parsed.data
}
const errorBody = { schema: zodSchema(ErrorBodySchema) }
const view = { schema: zodSchema(TicketViewSchema) }
const idempotencyHeader = {
  name: 'Idempotency-Key',
  required: true,
  description: '同一键同一内容重试 → 200 与原诉求；同一键不同内容 → 422；同一键仍在提交中 → 409',
}
const batchAnswer = {
  description:
    'Each id as the single action would have gone, in the order sent: ok, or its error (code and message; ' +
    'a request the caller may not know of is TICKET_NOT_FOUND). 200 even when some or all failed.',
  schema: zodSchema(BatchResultSchema),
}
const batchRefused = {
  description: 'VALIDATION_FAILED: no ids, more than 50, a repeated id or an invalid body; nothing ran',
  ...errorBody,
}
const illegal = {
  description: 'ILLEGAL_TRANSITION: not possible in the current state (named in the message)',
  ...errorBody,
}

/** Requests (诉求): filing, reading, handling, chasing and rating. */
@ApiTags('requests')
@Controller('api/requests')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly workflow: TicketWorkflowService,
  ) {}

  /** A resident files a request from a QR code (`unitToken`) or a unit. 201 when created, 200 on a replay. */
  @Post()
  @ResidentOnly()
  @ApiHeader(idempotencyHeader)
  @ApiCreatedResponse(view)
  @ApiOkResponse({
    description: 'A retry with the same Idempotency-Key and body: the original request',
    ...view,
  })
  @ApiConflictResponse({
    description: 'CONFLICT: the same Idempotency-Key is still being processed',
    ...errorBody,
  })
  @ApiUnprocessableEntityResponse({
    description: 'IDEMPOTENCY_MISMATCH: the key was used with another body',
    ...errorBody,
  })
  @Throttled('filing')
  async create(
    @CurrentResident() resident: ResidentPrincipal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CreateTicketDto,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketView> {
    const { view, replayed } = await this.tickets.create(
      resident,
      { kind: 'resident', input: body },
      idempotencyKey(key),
      requestId,
    )
    void reply.status(replayed ? 200 : 201)
    return view
  }

  /** Proxy entry (代录) for a resident without a smartphone; the filing staff member is the contact. */
  @Post('proxy')
  @Can('file_proxy_tickets')
  @ApiHeader(idempotencyHeader)
  @ApiCreatedResponse(view)
  @ApiOkResponse({
    description: 'A retry with the same Idempotency-Key and body: the original request',
    ...view,
  })
  async createProxy(
    @CurrentStaff() staff: StaffPrincipal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: ProxyTicketDto,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketView> {
    const { view, replayed } = await this.tickets.create(
      staff,
      { kind: 'proxy', input: body },
      idempotencyKey(key),
      requestId,
    )
    void reply.status(replayed ? 200 : 201)
    return view
  }

  /** The resident's own requests and those they follow, newest first, with state and the next deadline. */
  @Get('mine')
  @ResidentOnly()
  @ApiOkResponse({ schema: zodSchema(TicketPageSchema) })
  mine(
    @CurrentResident() resident: ResidentPrincipal,
    @Query() query: MyTicketsQueryDto,
  ): Promise<TicketPage> {
    return this.tickets.mine(resident, query)
  }

  /** Staff inbox: as handler or co-handler, or under a supervisor's places; nearest deadline first. */
  @Get('inbox')
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(TicketPageSchema) })
  inbox(@CurrentStaff() staff: StaffPrincipal, @Query() query: InboxQueryDto): Promise<TicketPage> {
    return this.tickets.inbox(staff, query)
  }

  /** 批量受理: each request accepted as if one by one (its own checks, timeline entry and messages). */
  @Post('batch/accept')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(batchAnswer)
  @ApiBadRequestResponse(batchRefused)
  batchAccept(@CurrentStaff() staff: StaffPrincipal, @Body() body: BatchAcceptDto): Promise<BatchResult> {
    return this.workflow.batch(staff, { action: 'accept', ...body })
  }

  /** 批量转办 to one person or role, with one reason; each request as if transferred one by one. */
  @Post('batch/transfer')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(batchAnswer)
  @ApiBadRequestResponse(batchRefused)
  batchTransfer(@CurrentStaff() staff: StaffPrincipal, @Body() body: BatchTransferDto): Promise<BatchResult> {
    return this.workflow.batch(staff, { action: 'transfer', ...body })
  }

  /** The same internal note on each request. */
  @Post('batch/notes')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(batchAnswer)
  @ApiBadRequestResponse(batchRefused)
  batchNote(@CurrentStaff() staff: StaffPrincipal, @Body() body: BatchNoteDto): Promise<BatchResult> {
    return this.workflow.batch(staff, { action: 'note', ...body })
  }

  /**
   * Open requests in the same building from the last 14 days, in the public projection: of `category`
   * before filing, or of every category (no `category`) for the scan page in one call.
   */
  @Get('duplicates')
  @Authenticated('file_proxy_tickets')
  @ApiOkResponse({ schema: zodSchema(DuplicateListSchema) })
  duplicates(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DuplicatesQueryDto,
  ): Promise<DuplicateList> {
    return this.tickets.duplicates(principal, query)
  }

  /**
   * One request, by id or by number (a text message's short link): its reporter in full or masked by role;
   * 404 outside the caller's reach.
   */
  @Get(':id')
  @Authenticated('view_tickets')
  @ApiOkResponse(view)
  @ApiNotFoundResponse({
    description: 'TICKET_NOT_FOUND: no such request, or not the caller’s to see',
    ...errorBody,
  })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdOrNumber) id: string,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.tickets.detailByRef(id, principal, requestId)
  }

  /** A photo of the request, to callers who may see it (problem photos: staff and the reporter only). */
  @Get(':id/photos/:photoId')
  @Authenticated('view_tickets')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiOkResponse({ content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } })
  async photo(
    @CurrentPrincipal() principal: Principal,
    @Param('id', Id) id: string,
    @Param('photoId', Id) photoId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { bytes, contentType } = await this.tickets.photo(id, photoId, principal)
    void reply.header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff')
    return new StreamableFile(bytes, { type: contentType, length: bytes.length })
  }

  /**
   * A voice note of the request's thread, to the reporter's side and staff who see the reporter's personal
   * data (网格长, 物业, 居民自管小组 of the compound); 404 to everyone else. Each play by staff is in the
   * access log; the bytes are never cached.
   */
  @Get(':id/voice/:voiceId')
  @Authenticated('view_tickets')
  @ApiProduces(...VOICE_CONTENT_TYPES)
  @ApiOkResponse({ content: { 'audio/*': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse({
    description: 'VOICE_NOT_FOUND: no such voice note on the request, or not the caller’s to play',
    ...errorBody,
  })
  async voiceNote(
    @CurrentPrincipal() principal: Principal,
    @Param('id', Id) id: string,
    @Param('voiceId', Id) voiceId: string,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { bytes, contentType } = await this.tickets.voiceNote(id, voiceId, principal, requestId)
    void reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff')
    return new StreamableFile(bytes, { type: contentType, length: bytes.length })
  }

  /** 催单: at most once every 2 hours per person (429 with Retry-After and the next allowed time). */
  @Post(':id/chase')
  @HttpCode(200)
  @Authenticated('view_tickets')
  @ApiOkResponse(view)
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: chased less than 2 hours ago', ...errorBody })
  @ApiConflictResponse(illegal)
  @Throttled('chase')
  chase(
    @CurrentPrincipal() principal: Principal,
    @Param('id', Id) id: string,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.chase(principal, id, requestId)
  }

  /** 评价 after resolution: 3–5 stars closes it, 1–2 reopens it. Staff record a proxy entry's 回访 rating. */
  @Post(':id/rating')
  @HttpCode(200)
  @Authenticated('view_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  rate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', Id) id: string,
    @Body() body: RateTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.rate(principal, id, body, requestId)
  }

  /** 我也遇到了 (+1) on an open request of the building whose stairwell QR code the resident scanned. */
  @Post(':id/follow')
  @HttpCode(200)
  @ResidentOnly()
  @ApiOkResponse(view)
  @ApiNotFoundResponse({
    description:
      'TICKET_NOT_FOUND: no such request, or the QR token is unknown, replaced or of another building',
    ...errorBody,
  })
  @ApiConflictResponse(illegal)
  follow(
    @CurrentResident() resident: ResidentPrincipal,
    @Param('id', Id) id: string,
    @Body() body: FollowTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.follow(resident, id, body, requestId)
  }

  /**
   * The reporter writes in the thread (for a proxy entry, the staff member who filed it): while the
   * request waits for them (等您补充) it is the answer and the clock resumes at once; on any other open
   * request an addition. The handler is told. Anyone else: 404.
   */
  @Post(':id/messages')
  @HttpCode(200)
  @Authenticated('file_proxy_tickets')
  @ApiOkResponse(view)
  @ApiNotFoundResponse({ description: 'TICKET_NOT_FOUND: not the caller’s request', ...errorBody })
  @ApiConflictResponse(illegal)
  message(
    @CurrentPrincipal() principal: Principal,
    @Param('id', Id) id: string,
    @Body() body: MessageInputDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.reporterMessage(principal, id, body, requestId)
  }

  /** 撤回 while nobody has accepted the request; after acceptance 409. Anyone but its reporter: 404. */
  @Post(':id/withdraw')
  @HttpCode(200)
  @Authenticated('file_proxy_tickets')
  @ApiOkResponse(view)
  @ApiNotFoundResponse({ description: 'TICKET_NOT_FOUND: not the caller’s request', ...errorBody })
  @ApiConflictResponse(illegal)
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', Id) id: string,
    @Body() body: WithdrawTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.withdraw(principal, id, body, requestId)
  }

  /** A handler's message to the reporter, in the thread (public to them, never to followers). */
  @Post(':id/staff-messages')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  staffMessage(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: MessageInputDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.staffMessage(staff, id, body, requestId)
  }

  /** 受理, optionally correcting category and severity (the deadlines follow). */
  @Post(':id/accept')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  accept(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: AcceptTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.accept(staff, id, body, requestId)
  }

  /** The clear reply of a complex request: plan and promised date (≤ 30 days), the public commitment. */
  @Post(':id/reply')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  reply(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: ReplyTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.reply(staff, id, body, requestId)
  }

  /** 办结, with a note and optional photos (uploaded first). */
  @Post(':id/resolve')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  resolve(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: ResolveTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.resolve(staff, id, body, requestId)
  }

  /** 不予受理, with a reason the resident sees. */
  @Post(':id/reject')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  reject(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: RejectTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.reject(staff, id, body, requestId)
  }

  /** 转办 to a person or a role, with a reason. */
  @Post(':id/transfer')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  transfer(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: TransferTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.transfer(staff, id, body, requestId)
  }

  /** Who may take part in handling this request: candidates for transfer and co-handlers. */
  @Get(':id/candidates')
  @Can('handle_tickets')
  @ApiOkResponse({ schema: zodSchema(TicketCandidatesSchema) })
  candidates(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string): Promise<TicketCandidates> {
    return this.tickets.candidates(staff, id)
  }

  /** Adds a co-handler (难事联办). */
  @Post(':id/co-handlers')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  addCoHandler(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: CoHandlerInputDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.addCoHandler(staff, id, body.staffId, requestId)
  }

  @Delete(':id/co-handlers/:staffId')
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  removeCoHandler(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Param('staffId', Id) coHandlerId: string,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.removeCoHandler(staff, id, coHandlerId, requestId)
  }

  /** 待居民补充: asks the resident for something; the clock stops. */
  @Post(':id/wait')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  wait(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: WaitTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.wait(staff, id, body, requestId)
  }

  /** Back to work after waiting; the deadlines move later by the time spent waiting. */
  @Post(':id/resume')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  resume(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: ResumeTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.resume(staff, id, body, requestId)
  }

  /** Merges this duplicate into another open request of the compound; its reporter follows that one. */
  @Post(':id/merge')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  merge(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: MergeTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.merge(staff, id, body, requestId)
  }

  /** An internal note (staff only). */
  @Post(':id/notes')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  note(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: NoteTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.note(staff, id, body, requestId)
  }

  /**
   * What the public board (公示) shows of the commitment and the resolution: the handler, a coordinator or
   * a supervisor of the place edits it (null: the original again). The originals stay; the edit is an
   * internal timeline entry. Residents and staff outside the place: 404.
   */
  @Patch(':id/public-summary')
  @Authenticated('view_tickets')
  @ApiOkResponse(view)
  @ApiConflictResponse(illegal)
  editPublicSummary(
    @CurrentPrincipal() principal: Principal,
    @Param('id', Id) id: string,
    @Body() body: PublicSummaryInputDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.workflow.editPublicSummary(principal, id, body, requestId)
  }
}
