// Compile-time only (nothing imports it): the real `wx` of miniprogram-api-typings, its result and its failure must
// fit our narrow types, so the published typings need no global mini-program declarations.
import type { CallFunctionFailure, CallFunctionResult, WxLike } from './wx-cloud'

export const officialWxFits = (official: WechatMiniprogram.Wx): WxLike => official
export const officialResultFits = (official: ICloud.CallFunctionResult): CallFunctionResult => official
export const officialFailureFits = (official: IAPIError): CallFunctionFailure => official
