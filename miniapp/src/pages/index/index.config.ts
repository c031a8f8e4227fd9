export default definePageConfig({
  navigationBarTitleText: '民情二维码',
})
