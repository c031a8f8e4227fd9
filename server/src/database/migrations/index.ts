/** Every migration, oldest first. `pnpm --filter @mq/server migration:generate Name` appends here. */
import { Init1795229266446 } from './1795229266446-Init'
export const MIGRATIONS = [Init1795229266446]
