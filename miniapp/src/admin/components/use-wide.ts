import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'

/** Matches admin.scss: two columns from this width up. */
export const WIDE_MIN_WIDTH = 900

function windowWidth(): number {
  if (typeof window !== 'undefined' && typeof window.innerWidth === 'number') return window.innerWidth
  try {
    return Taro.getSystemInfoSync().windowWidth
  } catch {
    return 375 // unknown: assume a phone
  }
}

/** Whether the window is wide enough for side-by-side panels; follows resizes in the browser. */
export function useWide(): boolean {
  const [wide, setWide] = useState(() => windowWidth() >= WIDE_MIN_WIDTH)
  useEffect(() => {
    if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return undefined
    const update = () => setWide(windowWidth() >= WIDE_MIN_WIDTH)
    window.addEventListener('resize', update)
    return () => window.removeEventListener('resize', update)
  }, [])
  return wide
}
