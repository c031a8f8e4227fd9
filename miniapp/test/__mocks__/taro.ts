/**
 * Stand-in for @tarojs/taro in jsdom. Tests drive it through `taroMock` (the APIs are jest.fn()) and
 * `setRouterParams`; `resetTaroMock` runs before each test (test/setup.ts).
 */
import { useEffect } from 'react'

type Params = Partial<Record<string, string>>

let routerParams: Params = {}

export function setRouterParams(params: Params): void {
  routerParams = { ...params }
}

export function useRouter() {
  return { params: routerParams, path: '/pages/test/index' }
}

/** Taro's page hooks, run once after mount (enough for jsdom). */
function useOnMount(callback: () => void): void {
  // Once after mount, like Taro's page hooks; later callback identities are deliberately ignored.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => callback(), [])
}
export const useLoad = useOnMount
export const useReady = useOnMount
export const useDidShow = useOnMount
export const useLaunch = useOnMount

export function useDidHide(): void {}
export function usePullDownRefresh(): void {}

/** Taro storage, in memory; tests may look at it through `storage`. */
export const storage = new Map<string, unknown>()

export const taroMock = {
  request: jest.fn(),
  navigateTo: jest.fn(),
  redirectTo: jest.fn(),
  reLaunch: jest.fn(),
  navigateBack: jest.fn(),
  getCurrentPages: jest.fn(),
  scanCode: jest.fn(),
  showModal: jest.fn(),
  showToast: jest.fn(),
  makePhoneCall: jest.fn(),
  login: jest.fn(),
  downloadFile: jest.fn(),
  openDocument: jest.fn(),
  previewImage: jest.fn(),
  chooseMessageFile: jest.fn(),
  getSystemInfoSync: jest.fn(),
  getStorageSync: jest.fn((key: string): unknown => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown): void => {
    // Like Taro, keep a copy rather than the caller's object.
    storage.set(key, value === undefined ? value : JSON.parse(JSON.stringify(value)))
  }),
  removeStorageSync: jest.fn((key: string): void => {
    storage.delete(key)
  }),
}

const storageImplementations = {
  getStorageSync: taroMock.getStorageSync.getMockImplementation()!,
  setStorageSync: taroMock.setStorageSync.getMockImplementation()!,
  removeStorageSync: taroMock.removeStorageSync.getMockImplementation()!,
}

export function resetTaroMock(): void {
  routerParams = {}
  storage.clear()
  for (const fn of Object.values(taroMock)) fn.mockReset()
  taroMock.getStorageSync.mockImplementation(storageImplementations.getStorageSync)
  taroMock.setStorageSync.mockImplementation(storageImplementations.setStorageSync)
  taroMock.removeStorageSync.mockImplementation(storageImplementations.removeStorageSync)
  taroMock.request.mockRejectedValue(new Error('Taro.request: no response set in this test'))
  taroMock.navigateTo.mockResolvedValue({ errMsg: 'navigateTo:ok' })
  taroMock.redirectTo.mockResolvedValue({ errMsg: 'redirectTo:ok' })
  taroMock.navigateBack.mockResolvedValue({ errMsg: 'navigateBack:ok' })
  // The page under test alone: nothing behind it.
  taroMock.getCurrentPages.mockReturnValue([{ route: 'pages/test/index' }])
  taroMock.scanCode.mockRejectedValue(new Error('scanCode:fail cancel'))
  taroMock.showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  taroMock.showToast.mockResolvedValue({ errMsg: 'showToast:ok' })
  taroMock.makePhoneCall.mockResolvedValue({ errMsg: 'makePhoneCall:ok' })
  taroMock.reLaunch.mockResolvedValue({ errMsg: 'reLaunch:ok' })
  taroMock.login.mockResolvedValue({ code: 'wx-code-1', errMsg: 'login:ok' })
  taroMock.getSystemInfoSync.mockReturnValue({ windowWidth: 375, windowHeight: 812 })
}

/**
 * What NutUI's components ask of Taro in jsdom: the platform ('WEB', so they render their H5 markup) and
 * layout queries that answer with empty boxes (jsdom lays nothing out).
 */
export const ENV_TYPE = { WEAPP: 'WEAPP', WEB: 'WEB' } as const
export const getEnv = (): string => ENV_TYPE.WEB
export const nextTick = (fn: () => void): void => void Promise.resolve().then(fn)
export function createSelectorQuery() {
  const query = {
    select: () => query,
    selectAll: () => query,
    selectViewport: () => query,
    in: () => query,
    boundingClientRect: (callback?: (rect: unknown) => void) => {
      callback?.(null)
      return query
    },
    scrollOffset: () => query,
    fields: () => query,
    exec: (callback?: (result: unknown[]) => void) => callback?.([]),
  }
  return query
}
const windowInfo = () => ({ windowWidth: 375, windowHeight: 812, screenWidth: 375, screenHeight: 812, pixelRatio: 2 })
export const getWindowInfo = windowInfo
export const getDeviceInfo = () => ({ platform: 'devtools' })
export const getAppBaseInfo = () => ({ SDKVersion: '3.0.0' })
export const pxTransform = (size: number): string => `${size}px`
export const getCurrentInstance = () => ({ router: { params: routerParams, path: '/pages/test/index' }, page: {} })
export const eventCenter = { on: () => undefined, off: () => undefined, trigger: () => undefined }
export const stopPullDownRefresh = (): Promise<void> => Promise.resolve()
export function usePageScroll(): void {}
export function useUnload(): void {}

const Taro = {
  ...taroMock,
  ENV_TYPE,
  getEnv,
  nextTick,
  createSelectorQuery,
  getWindowInfo,
  getDeviceInfo,
  getAppBaseInfo,
  pxTransform,
  getCurrentInstance,
  eventCenter,
  stopPullDownRefresh,
  usePageScroll,
  useUnload,
  useRouter,
  useLoad,
  useReady,
  useDidShow,
  useDidHide,
  useLaunch,
  usePullDownRefresh,
}

export default Taro
