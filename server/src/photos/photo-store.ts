import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

/**
 * Where photo bytes live. Local disk under the data directory; an S3-compatible store would implement
 * the same three calls.
 */
export abstract class PhotoStore {
  abstract put(key: string, bytes: Buffer): Promise<void>
  abstract get(key: string): Promise<Buffer | null>
  abstract delete(key: string): Promise<void>
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}$/

/** `${dataDir}/photos/ab/<uuid>`: two hex characters of fan-out keep directories small. */
export class LocalPhotoStore extends PhotoStore {
  constructor(readonly root: string) {
    super()
  }

  private path(key: string): string {
    // Keys are made by the server, never by callers; refuse anything else rather than touch the disk.
    if (!KEY.test(key)) throw new Error(`invalid photo storage key ${key}`)
    return resolve(join(this.root, key))
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.path(key)
    await mkdir(dirname(target), { recursive: true })
    // Write then rename, so a crash never leaves half a photo under its real name.
    const partial = `${target}.partial`
    await writeFile(partial, bytes, { flag: 'wx' })
    await rename(partial, target)
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
  }
}

/** Storage key of a photo id. */
export function storageKeyOf(id: string): string {
  return `${id.slice(0, 2)}/${id}`
}
