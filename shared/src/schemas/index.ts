/**
 * The request and response schemas alone (`@mq/shared/schemas`): zod and the schemas, for code that
 * checks what crosses the wire. `@mq/shared` re-exports them too, for the server.
 */
export * from './common'
export * from './places'
export * from './tickets'
export * from './auth'
export * from './staff'
export * from './access-log'
export * from './routing'
export * from './photos'
export * from './voice'
export * from './notifications'
export * from './supervision'
export * from './open311'
export * from './board'
export * from './public-request'
export * from './metrics'
export * from './deadline-settings'
export * from './calendar-overrides'
export * from './sms'
export * from './templates'
export * from './recurring'
