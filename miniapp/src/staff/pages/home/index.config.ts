export default definePageConfig({
  navigationBarTitleText: '民情工作台',
  // 下拉刷新 in WeChat (usePullDownRefresh); H5 has a refresh button as well.
  enablePullDownRefresh: true,
})
