/**
 * The mini-app's one data layer. A page asks for what it shows with `useResource` and changes things with
 * `useMutation`; both speak ApiError, so every page shows loading, empty, failure and retry the same way
 * (`<Loaded>` in src/ui/states.tsx).
 *
 *  - a resource loads when its key is set or changes, and again when the page is shown after another
 *    page was on top (someone may have answered meanwhile) and on pull-to-refresh (pages that enable it in
 *    their index.config.ts); a refresh keeps what is on screen until the new answer arrives;
 *  - an answer that arrives after a newer request was sent is dropped;
 *  - a mutation runs once at a time (a second tap while busy does nothing) and keeps its last error.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { toApiError, type ApiError } from '@/api/client'

export interface Resource<T> {
  /** The last answer (kept while refreshing); undefined before the first one. */
  data: T | undefined
  /** The last failure, cleared by the next success. */
  error: ApiError | null
  /** True while a request is out. */
  loading: boolean
  /** Load again now (the retry button, after a change made elsewhere). */
  reload: () => Promise<void>
  /** Replace what is shown without asking the server (an action's answer already holds the new state). */
  setData: (next: T) => void
}

export interface ResourceOptions<T> {
  /** Load again when the page is shown again (default true). */
  refreshOnShow?: boolean
  /**
   * An answer already at hand for the first key (the scan view the server put into the page): shown in
   * the first render, without a request or a loading state in between. Later keys and reloads load.
   */
  initial?: () => T | undefined
}

/**
 * `key` names what is loaded (null: nothing to load yet, e.g. no token); `load` fetches it and may change
 * identity on every render: the latest is used.
 */
export function useResource<T>(key: string | null, load: () => Promise<T>, options: ResourceOptions<T> = {}): Resource<T> {
  const { refreshOnShow = true } = options
  const [first] = useState(() => ({ key, data: key === null ? undefined : options.initial?.() }))
  const [data, setDataState] = useState<T | undefined>(first.data)
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(key !== null && first.data === undefined)
  const given = useRef(first.data !== undefined)
  const latestLoad = useRef(load)
  latestLoad.current = load
  const sequence = useRef(0)
  const keyRef = useRef(key)
  keyRef.current = key

  const reload = useCallback(async () => {
    if (keyRef.current === null) return
    const mine = ++sequence.current
    setLoading(true)
    try {
      const value = await latestLoad.current()
      if (mine !== sequence.current) return
      setDataState(value)
      setError(null)
    } catch (thrown) {
      if (mine !== sequence.current) return
      setError(toApiError(thrown))
    } finally {
      if (mine === sequence.current) setLoading(false)
    }
  }, [])

  useEffect(() => {
    // The first key's answer was given (options.initial): nothing to load.
    if (given.current) {
      given.current = false
      if (key === first.key) return
    }
    // A new key is a different thing: forget the old one's answer and failure.
    setDataState(undefined)
    setError(null)
    if (key === null) {
      sequence.current++
      setLoading(false)
      return
    }
    void reload()
  }, [key, reload, first.key])

  // Taro calls this on the first show too, right after the effect above started the first load.
  const shownBefore = useRef(false)
  useDidShow(() => {
    if (shownBefore.current && refreshOnShow) void reload()
    shownBefore.current = true
  })
  usePullDownRefresh(() => {
    void reload().finally(() => void Taro.stopPullDownRefresh())
  })

  const setData = useCallback((next: T) => {
    sequence.current++ // an answer still on its way would be older than this
    setDataState(next)
    setError(null)
    setLoading(false)
  }, [])

  return { data, error, loading, reload, setData }
}

export interface Mutation<A extends unknown[], R> {
  /** Runs the change; resolves to its answer, or undefined when it failed (see `error`) or one was running. */
  run: (...args: A) => Promise<R | undefined>
  busy: boolean
  error: ApiError | null
  /** Forget the last error (the user edited the form). */
  reset: () => void
}

export function useMutation<A extends unknown[], R>(change: (...args: A) => Promise<R>): Mutation<A, R> {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const latest = useRef(change)
  latest.current = change
  const running = useRef(false)
  const mounted = useRef(true)
  useEffect(
    () => () => {
      mounted.current = false
    },
    [],
  )

  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    if (running.current) return undefined
    running.current = true
    setBusy(true)
    setError(null)
    try {
      return await latest.current(...args)
    } catch (thrown) {
      if (mounted.current) setError(toApiError(thrown))
      return undefined
    } finally {
      running.current = false
      if (mounted.current) setBusy(false)
    }
  }, [])
  const reset = useCallback(() => setError(null), [])

  return { run, busy, error, reset }
}
