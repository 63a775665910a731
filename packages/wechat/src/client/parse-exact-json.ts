import { isSafeNumber, parse } from 'lossless-json'

/**
 * `JSON.parse`, except that an integer JSON.parse would round (beyond 2^53, like real `subscribeMessage` msgids)
 * comes back as its exact decimal string.
 */
export function parseExactJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) || !/^-?\d+$/.test(digits) ? Number(digits) : digits))
}
