import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  PAGES, pageUrl,
  PLACE_KIND_LABELS,
  type PlaceImportResult,
  type PlaceView,
  type StaffImportResult,
} from '@mq/shared'
import { toApiError, type ApiError } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice, Tag } from '@/ui/parts'
import { failureText } from '@/ui/states'
import { importPlaces, importStaff, listPlaces, sheetContentType, type SheetFile } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { DataTable } from '../../components/data-table'
import { RowErrors } from '../../components/row-errors'
import { SheetPicker } from '../../components/sheet-picker'
import { Actions, PageTitle } from '../../components/ui'
import { saveInBrowser } from '../../save-file'
import './index.scss'

export type ImportType = 'places' | 'staff'

interface ColumnHelp {
  name: string
  required: boolean
  note: string
}

const GUIDE: Record<ImportType, { title: string; columns: ColumnHelp[]; tips: string[]; example: string[][] }> = {
  places: {
    title: '导入楼栋和单元',
    columns: [
      { name: '楼栋', required: true, note: '如：9幢' },
      { name: '单元', required: true, note: '如：1单元' },
      { name: '楼栋排序', required: false, note: '整数，决定楼栋的排列顺序' },
      { name: '单元排序', required: false, note: '整数，决定单元的排列顺序' },
    ],
    tips: [
      '第一行是表头，之后每行一个单元；同一楼栋有几个单元就写几行。',
      '已存在的楼栋和单元不会重复创建；新单元会自动生成二维码。',
      '只要有一行有问题，整个文件都不会导入，改正后重新上传即可。',
    ],
    example: [
      ['楼栋', '单元', '楼栋排序', '单元排序'],
      ['9幢', '1单元', '9', '1'],
      ['9幢', '2单元', '9', '2'],
    ],
  },
  staff: {
    title: '导入人员名单',
    columns: [
      { name: '姓名', required: true, note: '如：王丽' },
      { name: '手机号', required: true, note: '11位手机号，用于登录' },
      { name: '角色', required: true, note: '如：网格长、物业、楼道长、辖区民警' },
      { name: '楼栋', required: false, note: '只负责某一幢时填写，如楼道长' },
      { name: '单元', required: false, note: '只负责某个单元时填写' },
      { name: '初始密码', required: false, note: '留空则自动生成，导入后只显示一次' },
    ],
    tips: [
      '第一行是表头，每行一个岗位；一人多岗就写多行，手机号相同。',
      '已有账号（手机号相同）只会增加岗位，不会改动密码。',
      '只要有一行有问题，整个文件都不会导入，改正后重新上传即可。',
    ],
    example: [
      ['姓名', '手机号', '角色', '楼栋', '单元', '初始密码'],
      ['王丽', '13800000001', '网格长', '', '', ''],
      ['吴建国', '13800000006', '楼道长', '1幢', '', ''],
    ],
  },
}

function downloadTemplate(type: ImportType): void {
  const csv = GUIDE[type].example.map((row) => row.join(',')).join('\r\n')
  // The BOM makes Excel open the UTF-8 file with the right characters.
  saveInBrowser(`\uFEFF${csv}\r\n`, 'text/csv;charset=utf-8', type === 'places' ? '楼栋单元导入模板.csv' : '人员导入模板.csv')
}

type Outcome =
  | { kind: 'places'; result: PlaceImportResult }
  | { kind: 'staff'; result: StaffImportResult }
  | { kind: 'failed'; error: ApiError }
  | null

function PlacesResult({ result, compoundId }: { result: PlaceImportResult; compoundId: string }) {
  return (
    <Notice tone='ok' title='导入成功' testId='import-result'>
      <Text>{`新建楼栋 ${result.buildingsCreated} 幢，新建单元 ${result.unitsCreated} 个；已存在未改动的单元 ${result.unitsUnchanged} 个。`}</Text>
      <Actions>
        <Button
          type='primary'
          onClick={() => void Taro.reLaunch({ url: pageUrl(PAGES.admin.places, { select: compoundId }) })}
          data-testid='import-view-places'
        >
          查看地点和打印海报
        </Button>
      </Actions>
    </Notice>
  )
}

function StaffResult({ result }: { result: StaffImportResult }) {
  const generated = result.accounts.some((a) => a.initialPassword)
  return (
    <View data-testid='import-result'>
      <Notice tone='ok' title={`导入成功：${result.accounts.length} 人`}>
        {generated ? '初始密码只在这里显示一次。请现在抄下或截图，分别交给本人，并提醒其登录后修改密码。' : undefined}
      </Notice>
      <DataTable
        testId='import-accounts'
        columns={[
          { key: 'row', title: '行' },
          { key: 'name', title: '姓名' },
          { key: 'phone', title: '手机号' },
          { key: 'memberships', title: '岗位数' },
          { key: 'password', title: '初始密码' },
        ]}
        rows={result.accounts.map((account) => ({
          key: account.id,
          cells: {
            row: <Text>{String(account.row)}</Text>,
            name: <Text>{account.name}</Text>,
            phone: <Text>{account.phone}</Text>,
            memberships: <Text>{String(account.memberships)}</Text>,
            password: account.initialPassword ? (
              <Text className='admin-mono'>{account.initialPassword}</Text>
            ) : (
              <Text className='mq-muted'>沿用原密码或表中指定</Text>
            ),
          },
        }))}
      />
      <Actions>
        <Button onClick={() => void Taro.reLaunch({ url: pageUrl(PAGES.admin.staff) })}>查看人员列表</Button>
      </Actions>
    </View>
  )
}

/** Places a staff sheet may be imported under: communities and compounds in the admin's scope. */
function importTargets(places: PlaceView[]): PlaceView[] {
  return places.filter((p) => !p.retired && (p.kind === 'compound' || p.kind === 'community' || p.kind === 'street'))
}

export function ImportConsole({ type, initialPlaceId }: { type: ImportType; initialPlaceId: string | null }) {
  const guide = GUIDE[type]
  const placeList = useResource('admin-places', listPlaces, { refreshOnShow: false })
  const [placeId, setPlaceId] = useState<string | null>(initialPlaceId)
  const [file, setFile] = useState<SheetFile | null>(null)
  const [outcome, setOutcome] = useState<Outcome>(null)
  const [pickError, setPickError] = useState<string | null>(null)
  // The outcome, refusal included, is kept as the upload's answer: a refusal lists rows, not one message.
  const upload = useMutation(async (target: string, sheet: SheetFile): Promise<Outcome> => {
    try {
      return type === 'places'
        ? { kind: 'places', result: await importPlaces(target, sheet) }
        : { kind: 'staff', result: await importStaff(target, sheet) }
    } catch (thrown) {
      return { kind: 'failed', error: toApiError(thrown) }
    }
  })
  const busy = upload.busy

  const places = placeList.data ?? null
  const place = places?.find((p) => p.id === placeId) ?? null
  const wrongKind = type === 'places' && place !== null && place.kind !== 'compound'

  function pick(chosen: SheetFile): void {
    setOutcome(null)
    if (!sheetContentType(chosen.name)) {
      setFile(null)
      setPickError('请选择 .xlsx 或 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）。')
      return
    }
    setPickError(null)
    setFile(chosen)
  }

  async function send(): Promise<void> {
    if (!file || !placeId) return
    setOutcome(null)
    const answer = await upload.run(placeId, file)
    if (!answer) return
    setOutcome(answer)
    if (answer.kind !== 'failed') setFile(null)
  }

  return (
    <View className='import' data-testid='import-page'>
      <PageTitle>{guide.title}</PageTitle>
      {placeList.error ? <Notice tone='error'>{`地点列表加载失败：${failureText(placeList.error)}`}</Notice> : null}

      <Card title='导入到'>
        {type === 'staff' && places ? (
          <Choices
            small
            testId='import-targets'
            choices={importTargets(places).map((p) => ({ value: p.id, label: `${PLACE_KIND_LABELS[p.kind]} · ${p.name}` }))}
            value={placeId}
            onPick={setPlaceId}
          />
        ) : (
          <Text className='mq-subtitle' data-testid='import-target'>
            {place ? `${PLACE_KIND_LABELS[place.kind]} · ${place.name}` : places ? '请从「地点与二维码」中选择一个小区' : '…'}
          </Text>
        )}
        {wrongKind ? <Notice tone='error'>楼栋和单元只能导入到小区。</Notice> : null}
      </Card>

      <Card title='表格格式'>
        <DataTable
          columns={[
            { key: 'name', title: '列名（表头）' },
            { key: 'required', title: '是否必填' },
            { key: 'note', title: '说明' },
          ]}
          rows={guide.columns.map((c) => ({
            key: c.name,
            cells: {
              name: <Text className='admin-strong'>{c.name}</Text>,
              required: c.required ? <Tag tone='primary'>必填</Tag> : <Tag>选填</Tag>,
              note: <Text>{c.note}</Text>,
            },
          }))}
        />
        <View className='import__tips'>
          {guide.tips.map((tip) => (
            <Text key={tip} className='mq-muted'>
              {`· ${tip}`}
            </Text>
          ))}
          <Text className='mq-muted'>· CSV 文件请用 UTF-8 编码保存（Excel：另存为「CSV UTF-8」）；也可以直接上传 .xlsx。</Text>
        </View>
        {process.env.TARO_ENV === 'h5' ? <Button onClick={() => downloadTemplate(type)}>下载 CSV 模板</Button> : null}
      </Card>

      <Card title='上传文件'>
        <SheetPicker file={file} onPick={pick} onError={setPickError} disabled={busy} />
        {pickError ? <Notice tone='error'>{pickError}</Notice> : null}
        <Actions>
          <Button
            type='primary'
            loading={busy}
            disabled={busy || !file || !placeId || wrongKind}
            onClick={() => void send()}
            data-testid='import-submit'
          >
            {busy ? '正在导入…' : '开始导入'}
          </Button>
        </Actions>
      </Card>

      {outcome?.kind === 'failed' ? <RowErrors message={outcome.error.message} details={outcome.error.details} /> : null}
      {outcome?.kind === 'places' && placeId ? <PlacesResult result={outcome.result} compoundId={placeId} /> : null}
      {outcome?.kind === 'staff' ? <StaffResult result={outcome.result} /> : null}
    </View>
  )
}

export function ImportPage() {
  const { params } = useRouter()
  const type: ImportType = params.type === 'staff' ? 'staff' : 'places'
  return (
    <AdminShell active={type === 'staff' ? 'staff' : 'places'} atRoot={false}>
      {() => <ImportConsole type={type} initialPlaceId={params.placeId ?? null} />}
    </AdminShell>
  )
}

export default ImportPage
