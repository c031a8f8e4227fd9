import { View } from '@tarojs/components'
import { AdminShell } from '../../components/admin-shell'
import { PageTitle } from '../../components/ui'

export function TemplatesPage() {
  return (
    <AdminShell active='templates'>
      {() => (
        <View data-testid='templates'>
          <PageTitle>常用回复</PageTitle>
        </View>
      )}
    </AdminShell>
  )
}

export default TemplatesPage
