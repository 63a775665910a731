import { describe, expectTypeOf, it } from 'vitest'
import type { WeChatBinaryAnswer } from '../client/wechat-client'
import type { OpenApi } from './open-api'

declare const openapi: OpenApi

describe('OpenApi types, computed from the table', () => {
  it('types parameters camelCase, required and optional as the table says', () => {
    expectTypeOf(openapi.subscribeMessage.send).parameter(0).toEqualTypeOf<{
      touser: string
      templateId: string
      data: Record<string, { value: string }>
      page?: string
      miniprogramState?: 'developer' | 'trial' | 'formal'
      lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'
    }>()
    // @ts-expect-error templateId is required
    void openapi.subscribeMessage.send({ touser: 'o', data: {} })
    // @ts-expect-error the wire name is not a parameter
    void openapi.subscribeMessage.send({ touser: 'o', templateId: 't', data: {}, template_id: 't' })
    void openapi.urllink.generate()
  })

  it('types results: camelCase JSON, exact-string ids, binary answers', () => {
    expectTypeOf(openapi.subscribeMessage.send).returns.resolves.toEqualTypeOf<{ msgId?: string }>()
    expectTypeOf(openapi.wxacode.getUnlimited).returns.resolves.toEqualTypeOf<WeChatBinaryAnswer>()
    expectTypeOf(openapi.img.scanQRCode).returns.resolves.toHaveProperty('codeResults')
    expectTypeOf(openapi.customerServiceMessage.uploadTempMedia).returns.resolves.toEqualTypeOf<{
      type: string
      mediaId: string
      createdAt: number
    }>()
  })
})
