import { TextDecoder } from 'node:util'
import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { setRouterParams, storage, taroMock } from '../../../../test/__mocks__/taro'
import { errorReply, serve, type FakeCall } from '../../../../test/fake-api'
import { ImportPage } from './index'

const COMPOUND = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d10'

const ADMIN_ME = {
  kind: 'staff',
  id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01',
  name: '社区管理员',
  phone: '13800000014',
  memberships: [
    {
      id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02',
      role: 'admin',
      roleLabel: '社区管理员',
      place: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03', kind: 'community', name: '石灰桥社区' },
    },
  ],
  actions: ['manage_staff', 'manage_places', 'view_access_log'],
}

const PLACES = {
  places: [
    {
      id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03',
      kind: 'community',
      parentId: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d04',
      name: '石灰桥社区',
      sortOrder: 0,
      retired: false,
      qrToken: null,
    },
    {
      id: COMPOUND,
      kind: 'compound',
      parentId: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03',
      name: '石灰桥新村',
      sortOrder: 0,
      retired: false,
      qrToken: null,
    },
  ],
}

const IMPORT_URL = `/api/admin/places/${COMPOUND}/import`

function fakeServer(importReply: (call: FakeCall) => ReturnType<typeof errorReply>): FakeCall[] {
  return serve((call) => {
    if (call.url === '/api/me') return { statusCode: 200, data: ADMIN_ME }
    if (call.url === '/api/admin/places') return { statusCode: 200, data: PLACES }
    if (call.url === IMPORT_URL) return importReply(call)
    return errorReply(404, 'ROUTE_NOT_FOUND', '没有这个接口')
  })
}

async function chooseFile(name: string, content: string, type: string): Promise<void> {
  const input = screen.getByTestId('import-file')
  await act(async () => {
    fireEvent.change(input, { target: { files: [new File([content], name, { type })] } })
    // FileReader finishes on a later tick.
    await new Promise((resolve) => setTimeout(resolve, 20))
  })
}

describe('import page (buildings and units)', () => {
  beforeEach(() => {
    process.env.TARO_ENV = 'h5'
    storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: ADMIN_ME })
    setRouterParams({ type: 'places', placeId: COMPOUND })
  })
  afterEach(() => {
    Reflect.deleteProperty(process.env, 'TARO_ENV')
  })

  it('shows every bad row the server reported, in row order, and says nothing was imported', async () => {
    const calls = fakeServer(() =>
      errorReply(400, 'VALIDATION_FAILED', '导入文件有误', [
        { path: 'row 5', message: '与第2行重复' },
        { path: 'row 3', message: '单元不能为空' },
        { path: 'row 3', message: '楼栋排序必须是整数' },
        { path: 'file', message: '缺少「单元」列' },
      ]),
    )
    render(<ImportPage />)
    expect(await screen.findByText('小区 · 石灰桥新村')).toHaveAttribute('data-testid', 'import-target')

    await chooseFile('楼栋.csv', '楼栋,单元\n9幢,\n', 'text/csv')
    expect(screen.getByTestId('import-file-name')).toHaveTextContent('楼栋.csv')
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-submit'))
    })

    const errors = await screen.findByTestId('import-errors')
    expect(errors).toHaveTextContent('文件中有 4 处问题（涉及 2 行），没有导入任何数据')
    const rows = within(screen.getByTestId('import-error-table')).getAllByTestId('import-error-table-row')
    expect(rows.map((row) => [
      within(row).getByTestId('import-error-where').textContent,
      within(row).getByTestId('import-error-message').textContent,
    ])).toEqual([
      ['整个文件', '缺少「单元」列'],
      ['第 3 行', '单元不能为空'],
      ['第 3 行', '楼栋排序必须是整数'],
      ['第 5 行', '与第2行重复'],
    ])
    expect(screen.queryByTestId('import-result')).not.toBeInTheDocument()

    // The sheet went as the raw body with its content type and the admin's token.
    const upload = calls.find((c) => c.url === IMPORT_URL)!
    expect(upload.method).toBe('POST')
    expect(upload.header).toMatchObject({ 'Content-Type': 'text/csv', Authorization: 'Bearer a1' })
    expect(new TextDecoder().decode(new Uint8Array(upload.data as ArrayBuffer))).toBe('楼栋,单元\n9幢,\n')
  })

  it('reports what a good sheet created, and links back to the places', async () => {
    fakeServer(() => ({ statusCode: 201, data: { buildingsCreated: 10, unitsCreated: 20, unitsUnchanged: 0 } }))
    render(<ImportPage />)
    await screen.findByText('小区 · 石灰桥新村')

    await chooseFile('buildings.xlsx', 'PK\u0003\u0004…', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-submit'))
    })

    expect(await screen.findByTestId('import-result')).toHaveTextContent('新建楼栋 10 幢，新建单元 20 个')
    fireEvent.click(screen.getByTestId('import-view-places'))
    expect(taroMock.reLaunch).toHaveBeenCalledWith({ url: `/admin/pages/places/index?select=${COMPOUND}` })
  })

  it('refuses a file type the server cannot read before uploading it', async () => {
    const calls = fakeServer(() => ({ statusCode: 201, data: {} }))
    render(<ImportPage />)
    await screen.findByText('小区 · 石灰桥新村')

    await chooseFile('old.xls', 'x', 'application/vnd.ms-excel')

    expect(screen.getByText(/请选择 .xlsx 或 .csv 文件/)).toBeInTheDocument()
    expect(screen.getByTestId('import-submit')).toHaveAttribute('aria-disabled', 'true')
    expect(calls.some((c) => c.url === IMPORT_URL)).toBe(false)
  })
})
