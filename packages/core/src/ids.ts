// 36^6: six base-36 characters per draw, so two draws make the 12 (about 62 bits) instead of twelve.
const SIX_CHARACTERS = 2176782336

/** A call id: time, then 12 random base-36 characters (about 62 bits), e.g. `mhd2k1x4-8f3k0q9z2m1a`. */
export function createCallId(now: number, random: () => number): string {
  return `${now.toString(36)}-${sixCharacters(random)}${sixCharacters(random)}`
}

function sixCharacters(random: () => number): string {
  return `00000${(Math.floor(random() * SIX_CHARACTERS) % SIX_CHARACTERS).toString(36)}`.slice(-6)
}
