/**
 * 长辈模式: larger type, larger targets and higher contrast, remembered on this device. <Kit> (src/ui)
 * gives every page the kit theme of the mode; nothing else changes.
 */
import { createContext, useCallback, useContext, useMemo, useState, type PropsWithChildren } from 'react'
import { Button } from '@nutui/nutui-react-taro'
import Taro from '@tarojs/taro'

const STORAGE_KEY = 'mq.elderMode'

function readStored(): boolean {
  try {
    return Taro.getStorageSync(STORAGE_KEY) === true
  } catch {
    return false // storage unavailable: default look
  }
}

function store(on: boolean): void {
  try {
    Taro.setStorageSync(STORAGE_KEY, on)
  } catch {
    // Private mode or full storage: the mode still applies until the app closes.
  }
}

interface ElderMode {
  elder: boolean
  setElder: (on: boolean) => void
}

const ElderModeContext = createContext<ElderMode | null>(null)

/** Holds the mode for every page (in app.ts), so switching it on one page applies everywhere. */
export function ElderModeProvider({ children }: PropsWithChildren) {
  const [elder, setState] = useState(readStored)
  const setElder = useCallback((on: boolean) => {
    store(on)
    setState(on)
  }, [])
  const value = useMemo(() => ({ elder, setElder }), [elder, setElder])
  return <ElderModeContext.Provider value={value}>{children}</ElderModeContext.Provider>
}

/** The mode; outside the provider (component tests) it keeps its own state, still remembered. */
export function useElderMode(): ElderMode {
  const shared = useContext(ElderModeContext)
  const [elder, setState] = useState(readStored)
  const setLocal = useCallback((on: boolean) => {
    store(on)
    setState(on)
  }, [])
  return shared ?? { elder, setElder: setLocal }
}

/** The switch in a page header: says what it does, and whether it is on. */
export function ElderModeToggle() {
  const { elder, setElder } = useElderMode()
  return (
    <Button
      className='mq-elder-toggle'
      type='primary'
      fill={elder ? 'solid' : 'outline'}
      onClick={() => setElder(!elder)}
      aria-pressed={elder}
      data-testid='elder-toggle'
    >
      {elder ? '长辈模式：开' : '长辈模式'}
    </Button>
  )
}
