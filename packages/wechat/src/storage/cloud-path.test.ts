import { PageModuleError } from '@page-module/core'
import { describe, expect, it } from 'vitest'
import { assertCloudPath, cloudPathProblem, MAX_CLOUD_PATH_BYTES } from './cloud-path'

describe('cloudPathProblem', () => {
  it.each(['a.png', 'avatars/u-1001.png', '图片/头像 1.jpg', 'a..b/c.d', `${'x'.repeat(MAX_CLOUD_PATH_BYTES - 4)}.png`])(
    'accepts %s',
    (path) => {
      expect(cloudPathProblem(path)).toBeUndefined()
    },
  )

  it.each([
    ['', /non-empty/],
    ['/images/a.png', /must not start with "\/"/],
    ['images/', /folder/],
    ['../etc/passwd', /"\.\."/],
    ['a/../../b.png', /"\.\."/],
    ['a/./b.png', /"\."/],
    ['a//b.png', /empty segment/],
    ['a\u0000.png', /control character/],
    ['a\nb.png', /control character/],
    ['a\u007f.png', /control character/],
    [`${'图'.repeat(300)}.png`, /bytes long/],
  ])('refuses %j', (path, reason) => {
    expect(cloudPathProblem(path)).toMatch(reason)
  })

  it('refuses what is not a string', () => {
    expect(cloudPathProblem(42)).toMatch(/non-empty string/)
    expect(cloudPathProblem(undefined)).toMatch(/non-empty string/)
  })
})

describe('assertCloudPath', () => {
  it('throws INVALID_OPTIONS that says nothing was sent', () => {
    let thrown: unknown
    try {
      assertCloudPath('../x.png')
    } catch (error) {
      thrown = error
    }
    expect(PageModuleError.isInstance(thrown)).toBe(true)
    expect(thrown).toMatchObject({ code: 'INVALID_OPTIONS', requestSent: false })
    expect((thrown as Error).message).toContain('"../x.png"')
  })
})
