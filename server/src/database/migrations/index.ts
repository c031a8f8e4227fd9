/** Every migration, oldest first. `pnpm --filter @mq/server migration:generate Name` appends here. */
import { Init1795229266446 } from './1795229266446-Init'
import { AddIdentity1795229823618 } from './1795229823618-AddIdentity'
export const MIGRATIONS = [Init1795229266446, AddIdentity1795229823618]
