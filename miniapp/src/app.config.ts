export default defineAppConfig({
  // The first page is the one a scanned QR code opens.
  pages: ['pages/scan/index', 'pages/index/index'],
  // Staff pages will go into a subpackage so the residents' main package stays small (WeChat: 2 MB),
  // e.g. subPackages: [{ root: 'staff', pages: ['pages/inbox/index'] }]; scripts/weapp-size.mjs
  // already leaves subpackage roots out of the main package sum.
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '民情二维码',
    navigationBarTextStyle: 'black',
  },
})
