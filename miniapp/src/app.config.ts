export default defineAppConfig({
  // The first page is the one a scanned QR code opens.
  pages: ['pages/scan/index', 'pages/index/index', 'pages/report/index', 'pages/mine/index', 'pages/detail/index', 'pages/board/index'],
  // Staff and admin pages are subpackages, so residents download only their own pages (WeChat main
  // package limit 2 MB); scripts/weapp-size.mjs prints each package's size.
  subPackages: [
    {
      root: 'staff',
      pages: [
        'pages/login/index',
        'pages/home/index',
        'pages/request/index',
        'pages/proxy/index',
        'pages/callback/index',
        'pages/notifications/index',
        'pages/metrics/index',
      ],
    },
    {
      root: 'admin',
      pages: [
        'pages/places/index',
        'pages/import/index',
        'pages/staff/index',
        'pages/staff-detail/index',
        'pages/access-log/index',
        'pages/routing/index',
        'pages/deadlines/index',
        'pages/notifications/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '民情二维码',
    navigationBarTextStyle: 'black',
  },
})
