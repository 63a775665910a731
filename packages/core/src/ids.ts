const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/** A call id: time, then 12 random base-36 characters (about 62 bits), e.g. `mhd2k1x4-8f3k0q9z2m1a`. */
export function createCallId(now: number, random: () => number): string {
  let suffix = ''
  for (let index = 0; index < 12; index++) suffix += ALPHABET.charAt(Math.floor(random() * 36) % 36)
  return `${now.toString(36)}-${suffix}`
}
