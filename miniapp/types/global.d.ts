/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    /** Node's own; affects the build output. */
    NODE_ENV: 'development' | 'production' | 'test'
    /** The platform being built. */
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
    /** Mini-program appid (Taro's special variable), see config/index.ts. */
    TARO_APP_ID?: string
    /** Origin of the API; '' means same origin (H5 served by the API server). */
    TARO_APP_API_BASE?: string
    /** Service hotline shown on error pages; '' hides it. */
    TARO_APP_HOTLINE?: string
  }
}
