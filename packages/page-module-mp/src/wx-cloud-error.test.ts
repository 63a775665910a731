import { describe, expect, it } from 'vitest'
import failures from './__fixtures__/wx-cloud-failures.json'
import { parseWxCloudFailure, wxCloudErrorOf } from './wx-cloud-error'

const context = { functionName: 'tcb-SignUp', env: 'prod-1a2b' }

describe('parseWxCloudFailure', () => {
  it('reads the client code, the service code, the requestID and what the function threw', () => {
    expect(parseWxCloudFailure(failures.functionThrew.error)).toEqual({
      errCode: -404011,
      serviceCode: -504002,
      requestID: '9f1c2a3e-8b7d-11ef-a4b2-5254002c1d3f',
      detail: "TypeError: Cannot read properties of undefined (reading 'openid')",
    })
  })

  it('falls back to the message of an Error without errMsg, and to the text of anything else', () => {
    expect(parseWxCloudFailure(new Error('cloud.callFunction:fail offline'))).toMatchObject({ errCode: undefined, detail: 'offline' })
    expect(parseWxCloudFailure('boom')).toMatchObject({ errCode: undefined, requestID: undefined, detail: 'boom' })
  })
})

describe('wxCloudErrorOf', () => {
  it('maps -404011/-504002 to FUNCTION_FAILED with the thrown message and the requestID', () => {
    for (const fixture of [failures.functionThrew, failures.functionThrewAsError]) {
      const error = wxCloudErrorOf(fixture.error, context)
      expect(error.code).toBe('FUNCTION_FAILED')
      expect(error.requestSent).toBe(true)
      expect(error.retryable).toBe(false)
      expect(error.cloudRequestId).toBe(/requestID ([\w-]+)/.exec(fixture.error.errMsg)?.[1])
      expect(error.message).toMatch(
        /^the cloud function 'tcb-SignUp' threw: \w+Error: .+ — see its logs in the cloud console \(requestID [\w-]+\)$/,
      )
      expect(error.details).toEqual({ errCode: -404011, serviceCode: -504002 })
      expect(error.cause).toBe(fixture.error)
    }
  })

  it('maps a missing function to FUNCTION_NOT_FOUND and says to deploy it or set functionName', () => {
    const error = wxCloudErrorOf(failures.functionMissing.error, context)
    expect(error.code).toBe('FUNCTION_NOT_FOUND')
    expect(error.cloudRequestId).toBe('5d2e9b40-8b7f-11ef-8e11-5254001f6a2b')
    expect(error.requestSent).toBe(true)
    expect(error.retryable).toBe(false)
    expect(error.message).toContain("no cloud function 'tcb-SignUp' in env 'prod-1a2b' — deploy")
    expect(error.message).toContain('functionName')
  })

  it('maps both invalid-env shapes to INVALID_ENV naming the env', () => {
    for (const fixture of [failures.environmentInvalid, failures.environmentNotFound]) {
      const error = wxCloudErrorOf(fixture.error, context)
      expect(error.code).toBe('INVALID_ENV')
      expect(error.retryable).toBe(false)
      expect(error.message).toMatch(/^env 'prod-1a2b' is not a cloud environment this mini-program can use/)
    }
    expect(wxCloudErrorOf(failures.environmentNotFound.error, { ...context, env: undefined }).message).toMatch(
      /^the env of wx.cloud.init\(\)/,
    )
  })

  it('maps -1 to a retryable WX_CLOUD_ERROR whose whereabouts are unknown', () => {
    const error = wxCloudErrorOf(failures.generic.error, context)
    expect(error.code).toBe('WX_CLOUD_ERROR')
    expect(error.retryable).toBe(true)
    expect(error.requestSent).toBeUndefined()
    expect(error.message).toContain('generic error -1 (-1 system error)')
  })

  it('maps a fail without errCode to a retryable NETWORK error that mentions wx.cloud.init', () => {
    const error = wxCloudErrorOf(failures.withoutErrCode.error, context)
    expect(error.code).toBe('NETWORK')
    expect(error.retryable).toBe(true)
    expect(error.requestSent).toBeUndefined()
    expect(error.cloudRequestId).toBeUndefined()
    expect(error.message).toContain('(request:fail)')
    expect(error.message).toContain('wx.cloud.init()')
  })

  it('keeps any other code, with both numbers in the message', () => {
    const error = wxCloudErrorOf(failures.otherCode.error, context)
    expect(error.code).toBe('WX_CLOUD_ERROR')
    expect(error.retryable).toBe(false)
    expect(error.requestSent).toBe(true)
    expect(error.message).toContain('-404011/-501009: resource not found')
    expect(error.details).toEqual({ errCode: -404011, serviceCode: -501009 })
  })
})
