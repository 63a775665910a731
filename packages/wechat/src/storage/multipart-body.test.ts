import { describe, expect, it } from 'vitest'
import { multipartBody } from './multipart-body'

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part)
}

describe('multipartBody', () => {
  // undici's own multipart parser (Response#formData) is the oracle.
  it('encodes the fields in order and the file last, as a form parser reads them', async () => {
    const { contentType, body } = multipartBody(
      [
        ['key', 'a/b.txt'],
        ['Signature', 'q-sign-algorithm=sha1&q-ak=AKID'],
      ],
      { fieldName: 'file', fileName: 'b "1".txt', contentType: 'text/plain', chunks: chunks('hello ', '', 'world') },
    )
    expect(contentType).toMatch(/^multipart\/form-data; boundary=-+PageModuleFormBoundary[0-9a-f]{24}$/)
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData()
    expect([...form.keys()]).toEqual(['key', 'Signature', 'file'])
    expect(form.get('Signature')).toBe('q-sign-algorithm=sha1&q-ak=AKID')
    const file = form.get('file') as File
    expect(file.name).toBe('b "1".txt')
    expect(file.type).toBe('text/plain')
    expect(await file.text()).toBe('hello world')
  })

  it('reads the file only as the body is pulled', async () => {
    let read = 0
    async function* counted(): AsyncGenerator<Uint8Array> {
      for (let index = 0; index < 100; index += 1) {
        read += 1
        yield Buffer.alloc(1024, index)
      }
    }
    const { body } = multipartBody([['key', 'k']], {
      fieldName: 'file',
      fileName: 'f',
      contentType: 'application/octet-stream',
      chunks: counted(),
    })
    const reader = body.getReader()
    await reader.read()
    await reader.read()
    expect(read).toBeLessThan(5)
    await reader.cancel()
  })
})
