export default definePageConfig({
  navigationBarTitleText: '地点与二维码',
})
