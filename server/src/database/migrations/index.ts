/** Every migration, oldest first. `pnpm --filter @mq/server migration:generate Name` appends here. */
import { Init1795229266446 } from './1795229266446-Init'
import { AddIdentity1795229823618 } from './1795229823618-AddIdentity'
import { AddRequests1795231335273 } from './1795231335273-AddRequests'
import { AddOpen3111795232768667 } from './1795232768667-AddOpen311'
import { AddDeadlinesNotifications1795233173715 } from './1795233173715-AddDeadlinesNotifications'
import { RateLimits1795239004381 } from './1795239004381-RateLimits'
import { A1MetricsBoardDeadlines1795240100000 } from './1795240100000-A1MetricsBoardDeadlines'
import { InboxIndexes1795250000000 } from './1795250000000-InboxIndexes'
import { LatestStars1795260000000 } from './1795260000000-LatestStars'
import { PublicText1795270000000 } from './1795270000000-PublicText'
import { ResidentMobile1795280000000 } from './1795280000000-ResidentMobile'
import { VoiceNotes1796504229552 } from './1796504229552-VoiceNotes'
export const MIGRATIONS = [Init1795229266446, AddIdentity1795229823618, AddRequests1795231335273, AddOpen3111795232768667, AddDeadlinesNotifications1795233173715, RateLimits1795239004381, A1MetricsBoardDeadlines1795240100000, InboxIndexes1795250000000, LatestStars1795260000000, PublicText1795270000000, ResidentMobile1795280000000, VoiceNotes1796504229552]
