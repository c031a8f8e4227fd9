import { MAIN_PACKAGE_PAGES, PRELOAD_RULE, SUBPACKAGES } from '@mq/shared'

export default defineAppConfig({
  // From the shared page table (the server's messages name pages from it too). The first page is the
  // one a scanned QR code opens. Staff and admin pages are subpackages, so residents never download
  // them; the resident pages after the scan are small subpackages preloaded while the scan page shows
  // (WeChat's 2 MB per package; scripts/weapp-check.mjs prints each package's size).
  pages: MAIN_PACKAGE_PAGES,
  subPackages: SUBPACKAGES,
  preloadRule: PRELOAD_RULE,
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '民情二维码',
    navigationBarTextStyle: 'black',
  },
  // WeChat: which pages its search may index (copied from src/sitemap.json by config/index.ts), and
  // privacy APIs wait for the app's own agreement sheet (components/privacy.tsx) through
  // onNeedPrivacyAuthorization.
  sitemapLocation: 'sitemap.json',
  __usePrivacyCheck__: true,
})
