export default definePageConfig({
  navigationBarTitleText: '人员与岗位',
})
