import { ACCESS_TOKEN_ERRCODES, errcodeOf } from '../client/wechat-errors'

/** Anything that hands out access_tokens: the manager, or the client of a token server. */
export interface AccessTokenProvider {
  readonly appId: string
  /** A token WeChat accepts now. */
  getAccessToken(): Promise<string>
  /** Compare-and-expire: drops `accessToken` only if it is still the current token; true when it was. */
  invalidate(accessToken: string): Promise<boolean>
  /**
   * Runs `fn(token)`. If it throws, or resolves with, an access-token error (errcode 40001, 40014, 42001), that
   * token is invalidated and `fn` runs once more with a fresh one; the second outcome is returned as it is.
   */
  withAccessToken<Result>(fn: (accessToken: string) => Promise<Result>): Promise<Result>
}

type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown }

/** The one-retry rule of `withAccessToken`, shared by every provider. */
export async function runWithAccessToken<Result>(
  provider: Pick<AccessTokenProvider, 'getAccessToken' | 'invalidate'>,
  fn: (accessToken: string) => Promise<Result>,
): Promise<Result> {
  const first = await provider.getAccessToken()
  const outcome = await settle(fn, first)
  if (!ACCESS_TOKEN_ERRCODES.has(errcodeOf(outcome.ok ? outcome.value : outcome.error) ?? 0)) return unwrap(outcome)
  await provider.invalidate(first)
  const second = await provider.getAccessToken()
  // The store answered the same token again: a second try would fail the same way.
  if (second === first) return unwrap(outcome)
  return fn(second)
}

async function settle<Result>(fn: (accessToken: string) => Promise<Result>, accessToken: string): Promise<Outcome<Result>> {
  try {
    return { ok: true, value: await fn(accessToken) }
  } catch (error) {
    return { ok: false, error }
  }
}

function unwrap<Result>(outcome: Outcome<Result>): Result {
  if (outcome.ok) return outcome.value
  throw outcome.error
}
