// Core targets the mini-program engine and Node alike: only these host functions are assumed.
declare function setTimeout(callback: () => void, milliseconds: number): unknown
declare function clearTimeout(handle: unknown): void
