/**
 * The schemas the resident pages check the server's answers with (`@mq/shared/resident-schemas`). The
 * mini-app loads this module on first use (miniapp/src/api/client.ts `loadSchemas`); named one by one so
 * that it pulls in only what these need — in WeChat the import is bundled into the main package, which
 * every first scan downloads (budget 600 KB), so staff and admin schemas must never reach it.
 */
export { MeSchema, SessionSchema, TokenPairSchema } from './auth'
export { ConsentStatusSchema } from './notifications'
export { PhotoUploadSchema } from './photos'
export { ScanViewSchema } from './places'
export { PublicRequestListSchema } from './public-request'
export { TicketPageSchema, TicketViewSchema } from './tickets'
export { VoiceNoteUploadSchema } from './voice'
