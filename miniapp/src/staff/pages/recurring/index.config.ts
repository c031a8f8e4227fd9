export default definePageConfig({
  navigationBarTitleText: '重点问题',
  enablePullDownRefresh: true,
})
