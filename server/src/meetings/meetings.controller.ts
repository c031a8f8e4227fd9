import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common'
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger'
import {
  AddAgendaInputSchema,
  AgendaCandidatesSchema,
  CreateMeetingInputSchema,
  DecisionDoneInputSchema,
  ErrorBodySchema,
  MeetingCompoundsSchema,
  MeetingDetailSchema,
  MeetingListQuerySchema,
  MeetingListSchema,
  RecordDecisionInputSchema,
  UuidSchema,
  type AgendaCandidates,
  type MeetingCompounds,
  type MeetingDetail,
  type MeetingList,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { contentDisposition } from '../posters/posters.controller'
import { MeetingsService } from './meetings.service'

class MeetingListQueryDto extends createZodDto(MeetingListQuerySchema) {}
class CreateMeetingDto extends createZodDto(CreateMeetingInputSchema) {}
class AddAgendaDto extends createZodDto(AddAgendaInputSchema) {}
class RecordDecisionDto extends createZodDto(RecordDecisionInputSchema) {}
class DecisionDoneDto extends createZodDto(DecisionDoneInputSchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }
const detail = { schema: zodSchema(MeetingDetailSchema) }
const notFound = {
  description: "MEETING_NOT_FOUND: no such meeting (or decision) in the caller's compounds; PLACE_NOT_FOUND: no such compound",
  ...errorBody,
}
const forbidden = { description: 'FORBIDDEN: the caller reads the compound but does not organise its meetings', ...errorBody }

/** Joint meetings (联席会议 / 议事会) of a compound: agenda, decisions tracked to done, minutes. */
@ApiTags('meetings')
@Controller('api/meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  /** The compounds whose meetings the caller reads, and whether it organises them. */
  @Get('compounds')
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(MeetingCompoundsSchema) })
  compounds(@CurrentStaff() staff: StaffPrincipal): Promise<MeetingCompounds> {
    return this.meetings.compounds(staff)
  }

  /** A compound's meetings, newest first, with their open and overdue decisions counted. */
  @Get()
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(MeetingListSchema) })
  @ApiNotFoundResponse(notFound)
  list(@CurrentStaff() staff: StaffPrincipal, @Query() query: MeetingListQueryDto): Promise<MeetingList> {
    return this.meetings.list(staff, query.compoundId)
  }

  /** Plans a meeting (its 网格长, secretary or a supervisor above). */
  @Post()
  @HttpCode(200)
  @Can('view_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  @ApiForbiddenResponse(forbidden)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: CreateMeetingDto): Promise<MeetingDetail> {
    return this.meetings.create(staff, body)
  }

  /** A meeting with its attendees (roles, with the holders' names for staff), agenda and decisions. */
  @Get(':id')
  @Can('view_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  show(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string): Promise<MeetingDetail> {
    return this.meetings.detail(staff, id)
  }

  /** What may go on the agenda: the compound's open complex, escalated and co-handled requests and open needs. */
  @Get(':id/candidates')
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(AgendaCandidatesSchema) })
  @ApiNotFoundResponse(notFound)
  @ApiForbiddenResponse(forbidden)
  candidates(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string): Promise<AgendaCandidates> {
    return this.meetings.candidates(staff, id)
  }

  /** Puts a candidate request or need on the agenda. */
  @Post(':id/agenda')
  @HttpCode(200)
  @Can('view_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  @ApiForbiddenResponse(forbidden)
  addAgendaItem(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string, @Body() body: AddAgendaDto): Promise<MeetingDetail> {
    return this.meetings.addAgendaItem(staff, id, body)
  }

  /** Marks the meeting held: decisions may be recorded from then on. */
  @Post(':id/held')
  @HttpCode(200)
  @Can('view_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  @ApiForbiddenResponse(forbidden)
  markHeld(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string): Promise<MeetingDetail> {
    return this.meetings.markHeld(staff, id)
  }

  /** Records a decision (an owner, a working-day target date, a public summary): public on the request's timeline. */
  @Post(':id/decisions')
  @HttpCode(200)
  @Can('view_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  @ApiForbiddenResponse(forbidden)
  recordDecision(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: RecordDecisionDto,
  ): Promise<MeetingDetail> {
    return this.meetings.recordDecision(staff, id, body)
  }

  /** Marks a decision done with a public note (its owner or an organiser). */
  @Post('decisions/:decisionId/done')
  @HttpCode(200)
  @Can('view_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  @ApiForbiddenResponse(forbidden)
  markDone(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('decisionId', Id) decisionId: string,
    @Body() body: DecisionDoneDto,
  ): Promise<MeetingDetail> {
    return this.meetings.markDone(staff, decisionId, body)
  }

  /** The minutes (会议纪要) as A4 PDF pages for the notice board: roles and public words only. */
  @Get(':id/minutes.pdf')
  @Can('view_tickets')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the PDF', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse(notFound)
  async minutes(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string): Promise<StreamableFile> {
    const file = await this.meetings.minutesPdf(staff, id)
    return new StreamableFile(file.body, { type: 'application/pdf', disposition: contentDisposition(file), length: file.body.length })
  }
}
