// Every throughput scenario, in table order. Add a scenario here (name, key, create → { call, close }).
import { cloudbaseNodeSdk } from './cloudbase-node-sdk.mjs'
import { independentFloor } from './independent-floor.mjs'
import { pageModule } from './page-module.mjs'
import { rawHttp, rawSignedHttp } from './raw-http.mjs'

export const scenarios = [rawHttp, rawSignedHttp, independentFloor, pageModule, cloudbaseNodeSdk]
