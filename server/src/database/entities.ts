import { AccessLogEntry } from '../access-log/access-log.entity'
import { AuthSession } from '../auth/auth-session.entity'
import { DeadlineTimer } from '../tickets/lifecycle/deadline-timer.entity'
import { DeadlineSettingsRow } from '../deadlines/deadline-settings.entity'
import { AfterPhotoSettingRow } from '../templates/after-photo-setting.entity'
import { CategoryLessonRow } from '../suggest/category-lesson.entity'
import { ReplyTemplateRow } from '../templates/reply-template.entity'
import { CalendarOverrideRow } from '../deadlines/calendar-override.entity'
import { UrgentListRow } from '../deadlines/urgent-list.entity'
import { RecurringProblemRow } from '../recurring/recurring-problem.entity'
import { RecurringProgressRow } from '../recurring/recurring-progress.entity'
import { MeetingAgendaItemRow, MeetingDecisionRow, MeetingRow } from '../meetings/meeting.entity'
import { ResourceRow } from '../resources/resource.entity'
import { ResourceMatchRow } from '../resources/resource-match.entity'
import { NeedRow } from '../needs/need.entity'
import { NeedSupportRow } from '../needs/need-support.entity'
import { HouseholdRow } from '../visits/household.entity'
import { VisitRow } from '../visits/visit.entity'
import { RefreshToken } from '../auth/refresh-token.entity'
import { OutboxNotification } from '../notifications/notification.entity'
import { Open311ApiKey } from '../open311/open311-key.entity'
import { Open311Request } from '../open311/open311-request.entity'
import { StaffWechat } from '../notifications/staff-wechat.entity'
import { SubscriptionConsent } from '../notifications/subscription-consent.entity'
import { Photo } from '../photos/photo.entity'
import { RankingWeightsRow } from '../metrics/ranking-weights.entity'
import { CompoundTally } from '../tallies/compound-tally.entity'
import { TicketTally } from '../tallies/ticket-tally.entity'
import { Place } from '../places/place.entity'
import { QrCode } from '../places/qr-code.entity'
import { Resident } from '../residents/resident.entity'
import { RoutingRuleOverride } from '../routing/routing-rule.entity'
import { ResidentMobile } from '../sms/resident-mobile.entity'
import { Membership } from '../staff/membership.entity'
import { Staff } from '../staff/staff.entity'
import { TicketEvent } from '../tickets/ticket-event.entity'
import { IdempotencyKey, TicketCoHandler, TicketFollower, TicketRating } from '../tickets/ticket-relations.entity'
import { Ticket } from '../tickets/ticket.entity'
import { VoiceNote } from '../voice/voice-note.entity'
import { WechatAccessToken } from '../wechat/wechat-token.entity'

/** Every entity, for the data source and for the schema-drift test. */
export const ENTITIES = [
  Place,
  QrCode,
  Staff,
  Membership,
  Resident,
  Ticket,
  TicketEvent,
  AuthSession,
  RefreshToken,
  AccessLogEntry,
  TicketFollower,
  TicketCoHandler,
  TicketRating,
  IdempotencyKey,
  Photo,
  RoutingRuleOverride,
  OutboxNotification,
  DeadlineTimer,
  SubscriptionConsent,
  StaffWechat,
  WechatAccessToken,
  Open311ApiKey,
  Open311Request,
  DeadlineSettingsRow,
  ResidentMobile,
  VoiceNote,
  CalendarOverrideRow,
  ReplyTemplateRow,
  AfterPhotoSettingRow,
  RecurringProblemRow,
  RecurringProgressRow,
  RankingWeightsRow,
  CompoundTally,
  TicketTally,
  CategoryLessonRow,
  UrgentListRow,
  MeetingRow,
  MeetingAgendaItemRow,
  MeetingDecisionRow,
  ResourceRow,
  ResourceMatchRow,
  NeedRow,
  NeedSupportRow,
  HouseholdRow,
  VisitRow,
]
