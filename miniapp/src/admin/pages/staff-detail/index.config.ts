export default definePageConfig({
  navigationBarTitleText: '人员详情',
})
