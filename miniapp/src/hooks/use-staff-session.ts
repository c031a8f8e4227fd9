import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import {
  STAFF_LOGIN_PAGE,
  fetchStaffMe,
  isAdmin,
  setLoginNotice,
  storedStaff,
  type StaffMe,
} from '@/api/auth'
import { isApiError } from '@/api/client'
import { onSessionEnded } from '@/api/session'

export type StaffSessionState =
  | { kind: 'signed-out' }
  | { kind: 'ready'; me: StaffMe }
  /** Logged in, but this page needs a role the account does not hold. */
  | { kind: 'forbidden'; me: StaffMe }

function goToLogin(notice: string | null): void {
  if (notice) setLoginNotice(notice)
  void Taro.reLaunch({ url: STAFF_LOGIN_PAGE })
}

/**
 * Guards a staff page: without a session it goes to the login page; when the server ends the session
 * (expired, revoked, account disabled) it goes there with the server's reason. Shows the stored account
 * at once and refreshes it from /api/me, since roles may have changed since the login.
 */
export function useStaffSession(options: { admin?: boolean } = {}): StaffSessionState {
  const needsAdmin = options.admin ?? false
  const [me, setMe] = useState<StaffMe | null>(() => storedStaff())

  useEffect(() => {
    const stop = onSessionEnded('staff', (error) => goToLogin(error.message || '登录已失效，请重新登录'))
    if (!storedStaff()) {
      goToLogin(null)
      return stop
    }
    let current = true
    fetchStaffMe().then(
      (fresh) => {
        if (current) setMe(fresh)
      },
      (error: unknown) => {
        // Offline or busy: keep working with the stored account; an ended session already redirected.
        if (!isApiError(error)) throw error
      },
    )
    return () => {
      current = false
      stop()
    }
  }, [])

  if (!me) return { kind: 'signed-out' }
  if (needsAdmin && !isAdmin(me)) return { kind: 'forbidden', me }
  return { kind: 'ready', me }
}
