export default definePageConfig({
  navigationBarTitleText: '电话回访',
})
